import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { created } from '../../http/created.js';
import { setVersionTag } from '../../http/etag.js';
import { notFound } from '../../http/problem.js';
import { ref } from '../../http/schemas/components.js';
import {
  decodeSingleKeyCursor,
  PageQuery,
  PageSchema,
  toPage,
} from '../../http/schemas/pagination.js';
import { createPartner } from './commands.js';
import { findPartner, listPartners } from './repository.js';
import { NewPartnerSchema, PartnerParams, PartnerSchema } from './schemas.js';

const PartnerPage = PageSchema(ref(PartnerSchema));

export const partnerRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/v1/partners',
    {
      config: { allow: ['admin', 'partner', 'reporting'] },
      schema: {
        operationId: 'listPartners',
        tags: ['partners'],
        summary: 'List the partner federations',
        querystring: Type.Object(PageQuery, { additionalProperties: false }),
        response: { 200: PartnerPage },
      },
    },
    async (request) => {
      const { limit, cursor } = request.query;
      const after = decodeSingleKeyCursor(cursor);
      const rows = await listPartners(app.db, limit, after);
      return toPage(rows, limit, (p) => [p.code]);
    },
  );

  app.get(
    '/v1/partners/:code',
    {
      config: { allow: ['admin', 'partner', 'reporting'] },
      schema: {
        operationId: 'getPartner',
        tags: ['partners'],
        summary: 'Get one partner by its code',
        params: PartnerParams,
        response: { 200: ref(PartnerSchema) },
      },
    },
    async (request, reply) => {
      const partner = await findPartner(app.db, request.params.code);
      if (!partner) throw notFound(`There is no partner ${request.params.code}.`);
      setVersionTag(reply, partner.version);
      return partner;
    },
  );

  app.post(
    '/v1/partners',
    {
      config: { allow: ['admin'] },
      schema: {
        operationId: 'createPartner',
        tags: ['partners'],
        summary: 'Register a new partner federation',
        body: ref(NewPartnerSchema),
        response: { 201: ref(PartnerSchema) },
      },
    },
    async (request, reply) => {
      const partner = await app.db
        .transaction()
        .execute((trx) => createPartner(trx, request.principal, request.body));
      setVersionTag(reply, partner.version);
      return created(reply, `/v1/partners/${partner.code}`).send(partner);
    },
  );
};
