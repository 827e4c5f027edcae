import { IncomingMessage, ServerResponse, STATUS_CODES } from 'node:http';
import { JSON_TYPE, send, textReply } from './http';

export type Fault =
  | { kind: 'latency'; ms: number }
  | { kind: 'status'; status: number; body?: string }
  | { kind: 'html'; status?: number }
  | { kind: 'malformedJson' }
  | { kind: 'emptyBody' }
  | { kind: 'drop' }
  | { kind: 'dropMidBody' }
  | { kind: 'unauthorized' }
  /** A redirect to `location`: a path on this server (the same method, to see whether it is sent again) or any URL. */
  | { kind: 'redirect'; status: 301 | 302 | 303 | 307 | 308; location: string }
  /** 200 with this value as the JSON body: for values and shapes the client does not expect. */
  | { kind: 'json'; body: unknown };

export interface FaultRule {
  fault: Fault;
  /** API method such as 'tasks/findSchedule'; omitted = any request. */
  path?: string;
  /** How many matching requests it affects; default 1, Infinity = until cleared. */
  times?: number;
}

export const UNAUTHORIZED_MESSAGE = 'Unauthorized: the paToken is missing, invalid or expired';

const normalizePath = (path: string) => path.replace(/^\/+/, '').replace(/^api3\//i, '').toLowerCase();

/** Injected faults, consumed one per matching request in the order they were added. */
export class FaultStore {
  private rules: { fault: Fault; path?: string; remaining: number }[] = [];

  add(rule: FaultRule): void {
    const remaining = rule.times ?? 1;
    if (!(remaining >= 1)) {
      throw new Error(`FaultRule.times must be at least 1, got ${rule.times}`);
    }
    this.rules.push({ fault: rule.fault, path: rule.path && normalizePath(rule.path), remaining });
  }

  clear(): void {
    this.rules = [];
  }

  take(path: string): Fault | undefined {
    const key = normalizePath(path);
    const rule = this.rules.find((candidate) => candidate.path === undefined || candidate.path === key);
    if (!rule) {
      return undefined;
    }
    rule.remaining--;
    if (rule.remaining <= 0) {
      this.rules.splice(this.rules.indexOf(rule), 1);
    }
    return rule.fault;
  }
}

const proxyPage = (status: number) => {
  const title = `${status} ${STATUS_CODES[status] ?? 'Error'}`;
  return `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<center><h1>${title}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`;
};

/** A JSON body that a client will only ever receive part of. */
const LONG_JSON = JSON.stringify(
  Array.from({ length: 40 }, (_, index) => ({ scheduleId: `cut-${index}`, name: `Schedule ${index}`, status: 0 })),
);

/** Answers with a terminal fault (anything but latency). Returns the status sent, 0 when nothing was. */
export function sendFault(req: IncomingMessage, res: ServerResponse, fault: Exclude<Fault, { kind: 'latency' }>): number {
  switch (fault.kind) {
    case 'status':
      send(res, textReply(fault.status, fault.body ?? STATUS_CODES[fault.status] ?? 'Error'));
      return fault.status;
    case 'html': {
      const status = fault.status ?? 502;
      send(res, { status, contentType: 'text/html', body: proxyPage(status) });
      return status;
    }
    case 'malformedJson':
      send(res, { status: 200, contentType: JSON_TYPE, body: '{"status": 4, "items": [{"id": ' });
      return 200;
    case 'emptyBody':
      send(res, { status: 200, contentType: JSON_TYPE, body: '' });
      return 200;
    case 'unauthorized':
      send(res, textReply(401, UNAUTHORIZED_MESSAGE));
      return 401;
    case 'json':
      send(res, { status: 200, contentType: JSON_TYPE, body: JSON.stringify(fault.body) });
      return 200;
    case 'redirect':
      send(res, { ...textReply(fault.status, ''), headers: { Location: fault.location } });
      return fault.status;
    case 'drop':
      req.socket.destroy();
      return 0;
    case 'dropMidBody':
      res.writeHead(200, { 'Content-Type': JSON_TYPE, 'Content-Length': Buffer.byteLength(LONG_JSON) });
      res.write(LONG_JSON.slice(0, LONG_JSON.length / 2), () => req.socket.destroy());
      return 200;
  }
}
