import { AdminType } from './codes';
import { randomToken, stableGuid } from './ids';

export const DEMO_USER = { userName: 'admin', password: 'pyramid-demo' };
/** A user without admin rights: reads work, suspend and resume are refused with 403. */
export const VIEWER_USER = { userName: 'viewer', password: 'viewer-demo' };

export interface SimUser {
  id: string;
  userName: string;
  password: string;
  firstName: string;
  lastName: string;
  email: string;
  adminType: number;
  createdDate: number;
  lastLoginDate: number;
}

export function demoUsers(): SimUser[] {
  return [
    {
      ...DEMO_USER,
      id: stableGuid('user/admin'),
      firstName: 'Alex',
      lastName: 'Morgan',
      email: 'alex.morgan@example.com',
      adminType: AdminType.EnterpriseAdmin,
      createdDate: Date.parse('2022-06-01T00:00:00Z'),
      lastLoginDate: Date.parse('2025-01-06T08:55:00Z'),
    },
    {
      ...VIEWER_USER,
      id: stableGuid('user/viewer'),
      firstName: 'Sam',
      lastName: 'Taylor',
      email: 'sam.taylor@example.com',
      adminType: AdminType.None,
      createdDate: Date.parse('2023-09-12T00:00:00Z'),
      lastLoginDate: Date.parse('2025-01-03T14:20:00Z'),
    },
  ];
}

export function isAdmin(user: SimUser): boolean {
  return user.adminType !== AdminType.None;
}

interface Session {
  user: SimUser;
  expiresAt: number;
}

/** Issued paTokens and their expiry, by the simulator's clock. */
export class TokenStore {
  private sessions = new Map<string, Session>();

  constructor(private readonly ttlMs: number = Infinity) {}

  issue(user: SimUser, now: number): string {
    const token = randomToken();
    this.sessions.set(token, { user, expiresAt: now + this.ttlMs });
    return token;
  }

  userFor(token: string | undefined, now: number): SimUser | undefined {
    const session = token === undefined ? undefined : this.sessions.get(token);
    if (!session) {
      return undefined;
    }
    if (now >= session.expiresAt) {
      this.sessions.delete(token!);
      return undefined;
    }
    return session.user;
  }

  expireAll(): void {
    this.sessions.clear();
  }
}
