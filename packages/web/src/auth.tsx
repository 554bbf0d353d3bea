import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { ApiError, api, setCsrfToken } from './api/client';
import type { LoginAnswer, Me, Permission } from './api/types';

interface AuthState {
  /** undefined while asking, null when nobody is logged in. */
  readonly me: Me | null | undefined;
  login(username: string, password: string): Promise<void>;
  logout(): Promise<void>;
  can(permission: Permission): boolean;
}

const AuthContext = createContext<AuthState | undefined>(undefined);

/** GET /auth/me asked at boot (main.tsx), before React renders; the provider's first load takes it. */
let atBoot: Promise<Me> | undefined;

/** Asks who is logged in as soon as the application's entry runs, in parallel with the page's chunks. */
export function askSessionAtBoot(): void {
  atBoot = api.get<Me>('/auth/me');
  // Its failure is handled by the provider's load, which awaits this promise.
  atBoot.catch(() => undefined);
}

export function AuthProvider({ children }: { children: ReactNode }) {
  const [me, setMe] = useState<Me | null | undefined>(undefined);
  const load = useCallback(async () => {
    try {
      const early = atBoot;
      atBoot = undefined;
      const answer = await (early ?? api.get<Me>('/auth/me'));
      setCsrfToken(answer.csrfToken);
      setMe(answer);
    } catch (error) {
      if (error instanceof ApiError && (error.status === 401 || error.status === 403)) setMe(null);
      else throw error;
    }
  }, []);
  useEffect(() => {
    load().catch(() => setMe(null));
  }, [load]);
  const value = useMemo<AuthState>(
    () => ({
      me,
      async login(username, password) {
        const answer = await api.post<LoginAnswer>('/auth/login', { username, password });
        setCsrfToken(answer.csrfToken);
        await load();
      },
      async logout() {
        await api.post('/auth/logout').catch(() => undefined);
        setCsrfToken(undefined);
        setMe(null);
      },
      can: (permission) => me?.permissions.includes(permission) ?? false,
    }),
    [me, load],
  );
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthState {
  const state = useContext(AuthContext);
  if (state === undefined) throw new Error('useAuth outside AuthProvider');
  return state;
}
