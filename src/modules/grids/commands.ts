import type { Transaction } from 'kysely';
import type { Db } from '../../db/database.js';
import type { Database } from '../../db/schema.js';
import type { GridStatus } from '../../db/tables/grids.js';
import { staleVersion } from '../../http/etag.js';
import type { Principal } from '../../http/plugins/auth.js';
import { assertNoErrors, conflict, type FieldError } from '../../http/problem.js';
import type { AuditAction } from '../audit/actions.js';
import { type AuditChanges, diffChanges, recordAuditEvent } from '../audit/repository.js';
import { recordEvent } from '../events/outbox.js';
import { gridPublishedEvent } from '../events/programme-events.js';
import { type GridDefinition, validateGridDefinition } from './definition.js';
import {
  changeStatus,
  codeState,
  type GridRow,
  gridStatusConflict,
  insertDraft,
  loadGrid,
  lockGrid,
  updateDraft,
} from './repository.js';

/** A status move (publish, retire) and the audit action it records. */
export interface StatusMove {
  from: GridStatus;
  to: GridStatus;
  action: AuditAction;
}

function assertValidDefinition(definition: GridDefinition, extra: FieldError[] = []) {
  const errors = [...extra, ...validateGridDefinition(definition)];
  assertNoErrors(errors, `The grid definition is invalid: ${errors.length} problem(s).`);
}

function checkRevision(row: GridRow, expected: number | undefined) {
  if (expected !== undefined && expected !== row.revision) throw staleVersion(row.revision);
}

function audit(
  db: Db,
  principal: Principal,
  grid: GridRow,
  action: AuditAction,
  changes?: AuditChanges,
) {
  return recordAuditEvent(db, {
    actor: principal,
    entity: 'grid',
    entityId: grid.id,
    action,
    ...(changes ? { changes } : {}),
  });
}

/** Creates version 1 of a new code as a draft; 409 when the code exists. */
export async function createGrid(db: Db, principal: Principal, definition: GridDefinition) {
  assertValidDefinition(definition);
  if (await codeState(db, definition.code)) {
    throw conflict(`A grid ${definition.code} exists already; create a new version of it instead.`);
  }
  const created = await insertDraft(db, definition, 1);
  await audit(db, principal, created, 'created', diffChanges({}, { version: 1, ...definition }));
  return created;
}

/** Replaces a draft's definition under its row lock; published grids never change. */
export async function replaceDraft(
  trx: Transaction<Database>,
  principal: Principal,
  id: string,
  definition: GridDefinition,
  expected: number | undefined,
) {
  const current = await lockGrid(trx, id);
  if (current.status !== 'draft') {
    throw gridStatusConflict(current, 'published grids never change; create a new version.');
  }
  checkRevision(current, expected);
  assertValidDefinition(
    definition,
    definition.code === current.code
      ? []
      : [{ pointer: '/code', message: `must be ${current.code} (a grid's code does not change)` }],
  );
  const updated = await updateDraft(trx, current.id, definition);
  await audit(trx, principal, updated, 'updated', diffChanges(current.definition, definition));
  return updated;
}

/** Moves a grid's status under its row lock; publishing also emits `grid.published`. */
export async function moveGridStatus(
  trx: Transaction<Database>,
  principal: Principal,
  id: string,
  move: StatusMove,
  expected: number | undefined,
) {
  const current = await lockGrid(trx, id);
  if (current.status !== move.from) {
    throw gridStatusConflict(current, `only a ${move.from} grid can be ${move.to}.`);
  }
  checkRevision(current, expected);
  const moved = await changeStatus(trx, current.id, move.from, move.to);
  if (!moved) throw gridStatusConflict(current, 'it changed meanwhile.');
  await audit(trx, principal, moved, move.action, { status: { from: move.from, to: move.to } });
  if (move.to === 'published') await recordEvent(trx, gridPublishedEvent(moved, principal));
  return moved;
}

/** Copies a grid into the code's next version as a draft; one draft per code (409 naming it). */
export async function createGridVersion(db: Db, principal: Principal, id: string) {
  const source = await loadGrid(db, id);
  const state = await codeState(db, source.code);
  if (state?.draftId !== undefined) {
    throw conflict(`Grid ${source.code} has a draft already; edit it or publish it first.`, {
      existingGridId: state.draftId,
    });
  }
  const version = (state?.highestVersion ?? source.version) + 1;
  const created = await insertDraft(db, source.definition, version);
  await audit(db, principal, created, 'versioned', {
    copiedFrom: { to: source.id },
    version: { from: source.version, to: version },
  });
  return created;
}
