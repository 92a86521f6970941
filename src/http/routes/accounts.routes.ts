import {
  MePatch,
  ResetConfirmBody,
  ResetRequestBody,
  ResetSentSchema,
  UserPatch,
  UserQuery,
} from '../../auth/accounts.schemas.js';
import type { AccountService } from '../../auth/accounts.service.js';
import { UserSchema } from '../../auth/auth.schemas.js';
import { decodeCursor, encodeCursor } from '../../shared/pagination.js';
import { clientIp } from '../client-ip.js';
import type { Router } from '../endpoint.js';
import { IdParams, pageOf } from '../schemas.js';

/** Accounts: the admin's list and changes, a user's own profile and password, reset links. */
export function accountRoutes(r: Router, accounts: AccountService, trustProxy: boolean): void {
  const tag = 'Accounts';

  r.add(
    {
      method: 'get',
      path: '/v1/users',
      tag,
      summary: 'Find accounts by name or email (q), role, clinicId and active',
      access: ['admin'],
      query: UserQuery,
      responses: { 200: { description: 'A page of accounts', schema: pageOf(UserSchema) } },
    },
    async (c, { query }) => {
      const offset = decodeCursor(query.cursor);
      const page = await accounts.list(query, offset);
      return c.json({ items: page.items, nextCursor: page.more ? encodeCursor(offset + query.limit) : null });
    },
  );

  r.add(
    {
      method: 'patch',
      path: '/v1/users/:id',
      tag,
      summary:
        "Change an account's role, clinicId or active; any change ends its sessions and sockets at once",
      access: ['admin'],
      params: IdParams,
      body: UserPatch,
      responses: { 200: { description: 'The account', schema: UserSchema } },
    },
    async (c, { params, body, principal }) => c.json(await accounts.update(principal, params.id, body)),
  );

  r.add(
    {
      method: 'post',
      path: '/v1/users/:id/password-reset',
      tag,
      summary: 'Send the account a password-reset link (without SMTP: the link, to hand over)',
      access: ['admin'],
      params: IdParams,
      responses: { 200: { description: 'Sent', schema: ResetSentSchema } },
    },
    async (c, { params }) => c.json(await accounts.adminReset(params.id)),
  );

  r.add(
    {
      method: 'post',
      path: '/v1/auth/password-reset',
      tag,
      summary: 'Ask for a reset link by email (202 whether or not the address has an account)',
      access: 'public',
      body: ResetRequestBody,
      responses: { 202: { description: 'Accepted' } },
    },
    async (c, { body }) => {
      await accounts.requestReset(body.email, clientIp(c, trustProxy));
      return c.body(null, 202);
    },
  );

  r.add(
    {
      method: 'post',
      path: '/v1/auth/password-reset/confirm',
      tag,
      summary: "Set a new password with the link's token; every session of the account ends",
      access: 'public',
      body: ResetConfirmBody,
      responses: { 204: { description: 'Password set' } },
    },
    async (c, { body }) => {
      await accounts.confirmReset(body.token, body.password);
      return c.body(null, 204);
    },
  );

  r.add(
    {
      method: 'patch',
      path: '/v1/me',
      tag,
      summary: 'Change your own name, phone or language',
      access: 'signed-in',
      body: MePatch,
      responses: { 200: { description: 'You', schema: UserSchema } },
    },
    async (c, { body, principal }) => c.json(await accounts.updateMe(principal, body)),
  );
}
