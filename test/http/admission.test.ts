import t from 'tap';
import { Admission, ClientGone } from '../../src/http/plugins/admission.js';
import { HttpProblem } from '../../src/http/problem.js';

/** Work that runs until `finish` is called. */
function heldWork() {
  let finish = () => {};
  const done = new Promise<string>((resolve) => {
    finish = () => resolve('done');
  });
  return { work: () => done, finish: () => finish() };
}

t.test('a waiting request whose client has gone leaves the queue to the next caller', async (t) => {
  const admission = new Admission(1, 1, 60_000);
  const first = heldWork();
  const running = admission.run(first.work);
  const gone = new AbortController();
  const abandoned = admission.run(async () => 'never', gone.signal);
  t.equal(admission.queued, 1, 'the second request waits');
  const refused = await admission.run(async () => 'x').catch((e: unknown) => e);
  t.ok(refused instanceof HttpProblem, 'the queue (length 1) is full: 503');

  gone.abort();
  t.ok((await abandoned.catch((e: unknown) => e)) instanceof ClientGone, 'dropped, not run');
  t.equal(admission.queued, 0, 'its place is free again');
  const third = admission.run(async () => 'third');
  t.equal(admission.queued, 1, 'a new caller takes the place');
  first.finish();
  t.equal(await running, 'done');
  t.equal(await third, 'third', 'and is answered when the slot frees');
});

t.test('an aborted request never takes a slot; the slot passes over it', async (t) => {
  const admission = new Admission(1, 2, 60_000);
  const before = new AbortController();
  before.abort();
  t.ok(
    (await admission.run(async () => 'no', before.signal).catch((e) => e)) instanceof ClientGone,
  );

  const first = heldWork();
  const running = admission.run(first.work);
  const gone = new AbortController();
  const order: string[] = [];
  const abandoned = admission.run(async () => order.push('abandoned'), gone.signal);
  const kept = admission.run(async () => order.push('kept'));
  gone.abort();
  await abandoned.catch(() => undefined);
  first.finish();
  await running;
  await kept;
  t.same(order, ['kept'], 'only the caller still there ran');
  t.equal(admission.queued, 0);
  t.equal(await admission.run(async () => 'free'), 'free', 'the slot was released after all');
});

t.test('a request still waiting after maxWaitMs is refused with 503 and Retry-After', async (t) => {
  const admission = new Admission(1, 1, 20);
  const first = heldWork();
  const running = admission.run(first.work);
  const late = await admission.run(async () => 'late').catch((e: unknown) => e);
  t.ok(late instanceof HttpProblem);
  t.equal((late as HttpProblem).status, 503);
  t.equal(admission.queued, 0);
  first.finish();
  await running;
});
