import {
  ChangePasswordBody,
  CreateUserBody,
  LoginBody,
  RefreshBody,
  RegisterBody,
  SessionSchema,
  UserSchema,
} from '../../auth/auth.schemas.js';
import type { AuthService } from '../../auth/auth.service.js';
import type { Config } from '../../config.js';
import { clientIp } from '../client-ip.js';
import type { Router } from '../endpoint.js';

export function authRoutes(r: Router, auth: AuthService, config: Config): void {
  const tag = 'Accounts';

  r.add(
    {
      method: 'post',
      path: '/v1/auth/register',
      tag,
      summary: 'Register a patient account',
      access: 'public',
      body: RegisterBody,
      responses: { 201: { description: 'Registered and signed in', schema: SessionSchema } },
    },
    async (c, { body }) => c.json(await auth.register(body, clientIp(c, config.trustProxy)), 201),
  );

  r.add(
    {
      method: 'post',
      path: '/v1/auth/login',
      tag,
      summary: 'Sign in with email and password',
      access: 'public',
      body: LoginBody,
      responses: { 200: { description: 'Signed in', schema: SessionSchema } },
    },
    async (c, { body }) => c.json(await auth.login(body, clientIp(c, config.trustProxy))),
  );

  r.add(
    {
      method: 'post',
      path: '/v1/auth/refresh',
      tag,
      summary: 'Trade a refresh token for a new pair (rotation; reuse revokes the family)',
      access: 'public',
      body: RefreshBody,
      responses: { 200: { description: 'New token pair', schema: SessionSchema } },
    },
    async (c, { body }) => c.json(await auth.refresh(body.refreshToken)),
  );

  r.add(
    {
      method: 'post',
      path: '/v1/auth/logout',
      tag,
      summary: 'Sign out: revokes the refresh-token family of this session',
      access: 'signed-in',
      responses: { 204: { description: 'Signed out' } },
    },
    async (c, { principal }) => {
      await auth.logout(principal);
      return c.body(null, 204);
    },
  );

  r.add(
    {
      method: 'get',
      path: '/v1/me',
      tag,
      summary: 'The signed-in account',
      access: 'signed-in',
      responses: { 200: { description: 'The caller', schema: UserSchema } },
    },
    async (c, { principal }) => c.json(await auth.me(principal)),
  );

  r.add(
    {
      method: 'post',
      path: '/v1/me/password',
      tag,
      summary: 'Change the password: every other session of the account ends at once',
      access: 'signed-in',
      body: ChangePasswordBody,
      responses: { 204: { description: 'Changed' } },
    },
    async (c, { principal, body }) => {
      await auth.changePassword(principal, body);
      return c.body(null, 204);
    },
  );

  r.add(
    {
      method: 'post',
      path: '/v1/users',
      tag,
      summary: 'Create a doctor, staff (with clinicId), admin or patient account',
      access: ['admin'],
      body: CreateUserBody,
      responses: { 201: { description: 'Created', schema: UserSchema } },
    },
    async (c, { body }) => c.json(await auth.createUser(body), 201),
  );
}
