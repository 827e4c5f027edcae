import { IncomingMessage, ServerResponse } from 'node:http';

export interface Reply {
  status: number;
  contentType: string;
  body: string;
  headers?: Record<string, string>;
}

export const TEXT = 'text/plain;charset=utf-8';
export const JSON_TYPE = 'application/json;charset=utf-8';

/** A failed call: Pyramid answers these with a status code and a plain-text message (spec §2.2). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export function textReply(status: number, message: string): Reply {
  return { status, contentType: TEXT, body: message };
}

export function jsonReply(value: unknown): Reply {
  return { status: 200, contentType: JSON_TYPE, body: JSON.stringify(value) };
}

/** Sends the reply; its headers stay readable with res.getHeader (the server records the Content-Length). */
export function send(res: ServerResponse, reply: Reply): void {
  const headers = { 'Content-Type': reply.contentType, 'Content-Length': Buffer.byteLength(reply.body), ...reply.headers };
  for (const [name, value] of Object.entries(headers)) {
    res.setHeader(name, value);
  }
  res.writeHead(reply.status);
  res.end(reply.body);
}

export function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** The API method of a URL ('tasks/findSchedule'), or undefined when it is not under /API3/ (any case). */
export function apiMethodOf(url: string): string | undefined {
  const pathname = url.split('?')[0];
  const match = /^\/api3\/(.+)$/i.exec(pathname);
  return match ? match[1] : undefined;
}
