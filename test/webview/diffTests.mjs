// The "Compare Objects" page in headless Chromium: the production HTML (CSP, skeleton) and
// bundle, with the fake `acquireVsCodeApi` of run.mjs wired to a fake panel (diffHarness.ts)
// that answers `ready` and `refresh` with a comparison made by the real host code.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';

/** Opens the compare page; waits until it shows the steps. */
async function openDiff(ctx, { hostile = false, theme = 'dark' } = {}) {
  const page = ctx.page;
  let queue = Promise.resolve();
  const host = ctx.diffModule.createDiffHost((message) => {
    // In order, like VS Code's postMessage.
    queue = queue.then(() => page.evaluate((m) => window.postMessage(m, '*'), message)).catch(() => undefined);
  }, { hostile });
  ctx.harness = host;
  ctx.flushHost = () => queue;
  ctx.cleanups.push(() => host.dispose());
  await page.goto(`${ctx.base}/diff?theme=${theme}`);
  await page.locator('table.steps tbody tr').first().waitFor({ timeout: 10_000 });
  return { page, host };
}

/** Each step row as a person reads it: mark, A type, A time, delta, B type, B time. */
const stepRows = (page) =>
  page.locator('tr.step').evaluateAll((rows) => rows.map((r) => [...r.children].map((td) => (td.querySelector('[aria-hidden="true"]')?.textContent ?? td.textContent).trim())));
const noViolations = async (page) => assert.deepEqual(await page.evaluate(() => window.__violations), [], 'no CSP violation');

export function registerDiffTests(test, { shotDir }) {
  test('compare page: two columns aligned by step, a one-sided step marked, field differences under a shared step', async (ctx) => {
    const { page, host } = await openDiff(ctx);
    const [cardA, cardB] = await page.locator('section.side').allInnerTexts();
    assert.match(cardA, /^A\s*session good-39ce4076\s*good\.nkmtrace\s*stopped · 3 events · over 5\.200 s · code 1013 User stop \(normal\) · NkMEDIA Aug 2016\s*media\/session\/good-39ce4076$/);
    assert.match(cardB, /^B\s*session bad-7a1bc0de\s*demo \(live\)\s*stopped · 4 events/);
    assert.equal(await page.locator('p.summary').textContent(), 'Steps aligned by meaning: 3 in both, 0 only in A (−), 1 only in B (+); 7 body field differences in 2 steps.');
    assert.deepEqual(await page.locator('table.steps thead th').allTextContents(), ['In both, only in A or only in B', 'A step', 'A time', 'Δ (B − A)', 'B step', 'B time']);
    assert.deepEqual(await stepRows(page), [
      ['', 'updated_type', '0.000 s', '0.000 s', 'type', '0.000 s'],
      ['+', '', '', '', 'candidate', '0.010 s'],
      ['', 'answer', '0.340 s', '+0.172 s', 'answer', '0.512 s'],
      ['', 'stop', '5.200 s', '−1.100 s', 'destroyed', '4.100 s'],
    ]);
    // The one-sided step is marked for the eye (its row's colour, the +) and for a screen reader.
    const onlyB = page.locator('tr.step.onlyB');
    assert.equal(await onlyB.locator('.mark .sr-only').textContent(), 'only in B');
    const [rowBg, pageBg] = await Promise.all([onlyB.evaluate((r) => getComputedStyle(r).backgroundColor), page.evaluate(() => getComputedStyle(document.body).backgroundColor)]);
    assert.notEqual(rowBg, pageBg, 'the row only B has stands out');
    // A's columns are left of B's.
    const [aBox, bBox] = await Promise.all([page.locator('tr.step').first().locator('td.a').first().boundingBox(), page.locator('tr.step').first().locator('td.b').first().boundingBox()]);
    assert.ok(aBox.x + aBox.width <= bBox.x, 'A left, B right');

    // Under the answer, its fields that differ: SDP summarised, a field only B has.
    const fields = await page.locator('tr.field').evaluateAll((rows) => rows.map((r) => [r.querySelector('td.a .path').textContent, r.querySelector('td.a .field-value').textContent, r.querySelector('td.b .field-value').textContent]));
    assert.deepEqual(fields, [
      ['answer.sdp:media', '"audio video"', '"audio"'],
      ['answer.sdp:codecs', '"opus/48000/2 VP8/90000"', '"opus/48000/2"'],
      ['answer.sdp:candidates', '2', '1'],
      ['answer.sdp:direction', '"sendrecv"', '"sendonly"'],
      ['user', '"alice"', '"bob"'],
      ['answer.trickle_ice', '(absent)', 'true'],
      ['code', '1013', '100011'],
    ]);
    assert.equal(await page.locator('#announcer').textContent(), 'Compared. Steps aligned by meaning: 3 in both, 0 only in A (−), 1 only in B (+); 7 body field differences in 2 steps.');
    assert.equal(host.invalidMessages, 0);
    await noViolations(page);
  });

  test('compare page: a step reveals its event by click or keyboard; Refresh asks again', async (ctx) => {
    const { page, host } = await openDiff(ctx);
    await page.locator('tr.step.onlyB button.step-link').click();
    const answerB = page.locator('tr.step').nth(2).locator('td.b button.step-link');
    assert.match(await answerB.getAttribute('aria-label'), /^B: answer at 0\.512 s, event #\d+: reveal in the tree$/);
    await answerB.focus();
    await page.keyboard.press('Enter');
    await page.locator('tr.step').first().locator('td.a button.step-link').focus();
    await page.keyboard.press('Space');
    await page.locator('#refresh').click();
    await page.waitForFunction(() => window.__posted.length >= 5, undefined, { timeout: 5_000 });
    const labels = await page.locator('button.step-link').evaluateAll((bs) => bs.map((b) => b.getAttribute('aria-label')));
    const seqOf = (side, type) => Number(/#(\d+)/.exec(labels.find((l) => l.startsWith(`${side}: ${type} `)))[1]);
    assert.deepEqual(host.received, [
      { type: 'ready' },
      { type: 'reveal', side: 'B', seq: seqOf('B', 'candidate') },
      { type: 'reveal', side: 'B', seq: seqOf('B', 'answer') },
      { type: 'reveal', side: 'A', seq: seqOf('A', 'updated_type') },
      { type: 'refresh' },
    ]);
    await ctx.flushHost();
    await page.locator('table.steps tbody tr').first().waitFor();
    assert.equal((await stepRows(page)).length, 4, 'drawn again after Refresh');
    assert.equal(host.invalidMessages, 0);
  });

  test('compare page: hostile markup in a type and a body value shows as text and makes no element', async (ctx) => {
    const { HOSTILE } = ctx.diffModule;
    const { page } = await openDiff(ctx, { hostile: true });
    const rows = await stepRows(page);
    assert.deepEqual(rows[2], ['+', '', '', '', `info${HOSTILE}`, '0.020 s']);
    const user = await page.locator('tr.field', { has: page.locator('.path', { hasText: /^user$/ }) }).locator('td.b .field-value').textContent();
    assert.equal(user, JSON.stringify(HOSTILE));
    assert.equal(await page.locator('main img, img').count(), 0, 'no element from the markup');
    assert.equal(await page.evaluate(() => window.__pwned), undefined);
    await noViolations(page);
  });

  test('compare page: an error shows its message as text; a malformed message is dropped', async (ctx) => {
    const { page, host } = await openDiff(ctx);
    await page.evaluate(() => window.postMessage({ type: 'diff', view: { rows: '<b>x</b>' } }, '*'));
    host.send({ type: 'error', message: 'B: the source "<b>demo</b>" is no longer open.' });
    await ctx.flushHost();
    await page.locator('p.error').waitFor({ timeout: 5_000 });
    assert.equal(await page.locator('main').textContent(), 'B: the source "<b>demo</b>" is no longer open.');
    assert.equal(await page.locator('main b').count(), 0);
    assert.equal(await page.locator('#announcer').textContent(), 'B: the source "<b>demo</b>" is no longer open.');
  });

  test('compare page: screenshots in a dark and a light theme', async (ctx) => {
    fs.mkdirSync(shotDir, { recursive: true });
    for (const theme of ['dark', 'light']) {
      const { page } = await openDiff(ctx, { theme });
      await page.screenshot({ path: path.join(shotDir, `diff-${theme}.png`), fullPage: true });
      await noViolations(page);
    }
  });
}
