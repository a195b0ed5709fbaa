// run.mjs - the browser test: a real Chromium drives the point of sale the
// way a cashier does (log in, scan two barcodes, pay cash, land on the
// receipt) against a fresh demo shop, and checks that the receipt, the cart
// and the dashboard agree to the peso and that the page logged no error (a
// CSP violation shows up there). Plain node, no test framework: prints
// "N passed, N failed" last and exits non-zero on any failure.
// Usage: INVENTARIO_BIN=build/inventario node tests/e2e/run.mjs
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '..', '..');
const bin = process.env.INVENTARIO_BIN || path.join(repo, 'build', 'inventario');
const outDir = path.join(repo, 'build', 'e2e');
const PASSWORD = 'Mostrador-Lienzo-4817';
const STEP_TIMEOUT_MS = 15000;

let passed = 0;
let failed = 0;
let broken = false; // after a failed step the later ones cannot run

async function step(name, fn) {
  if (broken) {
    failed++;
    console.log(`not ok - ${name} (not run: an earlier step failed)`);
    return undefined;
  }
  try {
    const v = await fn();
    passed++;
    console.log(`ok - ${name}`);
    return v;
  } catch (e) {
    failed++;
    broken = true;
    console.log(`not ok - ${name}\n  ${String(e && e.stack ? e.stack : e).split('\n').join('\n  ')}`);
    return undefined;
  }
}

function assert(cond, msg) {
  if (!cond) throw new Error(msg);
}

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** es-CO money as shown ("$ 1.234.567" or "$ 1.234.567,89") -> integer pesos. */
function pesos(text) {
  const t = String(text || '').trim();
  const m = /^-?\$\s*([\d.]+)(?:,(\d{2}))?$/.exec(t.replace(/\u00a0/g, ' '));
  if (!m) throw new Error(`not es-CO money: ${JSON.stringify(t)}`);
  return Number(m[1].replace(/\./g, ''));
}

/** Wire money "1500.00" -> cents. */
function wireCents(text) {
  const m = /^(\d+)\.(\d{2})$/.exec(String(text));
  if (!m) throw new Error(`not wire money: ${JSON.stringify(text)}`);
  return Number(m[1]) * 100 + Number(m[2]);
}

function startServer(dir, port) {
  const env = {
    ...process.env,
    SECRET_KEY: randomBytes(48).toString('base64url'),
    DEBUG: '0',
    ALLOWED_HOSTS: '127.0.0.1,localhost',
    DATABASE_URL: `sqlite:///${path.join(dir, 'db.sqlite3')}`,
    INVENTARIO_TEMPLATES: path.join(repo, 'templates'),
    INVENTARIO_STATIC: path.join(repo, 'static'),
  };
  const cli = (...args) => {
    const r = spawnSync(bin, args, { cwd: dir, env, encoding: 'utf8', timeout: 300000 });
    if (r.status !== 0) {
      throw new Error(`inventario ${args.join(' ')} failed (${r.status}):\n${r.stdout}${r.stderr}`);
    }
  };
  cli('migrate');
  cli('seed-demo', '--password', PASSWORD, '--products', '30', '--sales', '20');
  const log = fs.openSync(path.join(dir, 'server.log'), 'w');
  const proc = spawn(bin, ['serve', '--host', '127.0.0.1', '--port', String(port)], {
    cwd: dir, env, stdio: ['ignore', log, log],
  });
  return proc;
}

async function waitHealthy(base, proc) {
  const deadline = Date.now() + 30000;
  while (Date.now() < deadline) {
    if (proc.exitCode !== null) throw new Error(`server exited with ${proc.exitCode}`);
    try {
      const r = await fetch(`${base}/healthz`);
      if (r.status === 200) return;
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('server did not answer /healthz within 30 s');
}

async function kpiTotal(page, base) {
  await page.goto(`${base}/dashboard/?periodo=7d`);
  const text = await page.locator('#kpi-ventas-total').textContent();
  return pesos(text);
}

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'inventario-e2e-'));
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  fs.mkdirSync(outDir, { recursive: true });
  let proc = null;
  let browser = null;
  const consoleErrors = [];
  let expectLookup404 = false; // the unknown-barcode step makes Chromium log one 404

  try {
    proc = await step('server starts on a seeded demo shop', async () => {
      const p = startServer(dir, port);
      await waitHealthy(base, p);
      return p;
    });

    browser = await step('chromium launches', () => chromium.launch({
      executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking',
        '--disable-component-update', '--disable-sync', '--no-first-run'],
    }));
    const context = browser ? await browser.newContext({ viewport: { width: 1280, height: 900 } }) : null;
    const page = context ? await context.newPage() : null;
    if (page) {
      page.setDefaultTimeout(STEP_TIMEOUT_MS);
      page.on('console', (m) => {
        if (m.type() !== 'error') return;
        const src = (m.location() && m.location().url) || '';
        if (expectLookup404 && src.endsWith('/ventas/api/buscar-producto/') && /\b404\b/.test(m.text())) {
          return;
        }
        consoleErrors.push(`${page.url()}: ${m.text()} (${src})`);
      });
      page.on('pageerror', (e) => consoleErrors.push(`${page.url()}: ${e.message}`));
    }

    await step('admin logs in and lands on the dashboard', async () => {
      await page.goto(`${base}/login/`);
      await page.fill('input[name="username"]', 'admin');
      await page.fill('input[name="password"]', PASSWORD);
      await Promise.all([
        page.waitForURL(`${base}/dashboard/`),
        page.click('form button[type="submit"], form input[type="submit"]'),
      ]);
    });

    const before = await step('dashboard shows the 7-day sales total', () => kpiTotal(page, base));

    const barcodes = await step('two sellable barcodes read from the product list', async () => {
      const found = [];
      for (let n = 1; n <= 5 && found.length < 2; n++) {
        await page.goto(`${base}/productos/?page=${n}`);
        const codes = await page.locator('[data-barcode]').evaluateAll(
          (rows) => rows.map((r) => r.getAttribute('data-barcode')));
        for (const code of codes) {
          if (found.length === 2) break;
          // Ask the same API the POS uses, so only products in stock are picked.
          const info = await page.evaluate(async (c) => {
            const token = document.querySelector('meta[name="csrf-token"]').content;
            const r = await fetch('/ventas/api/buscar-producto/', {
              method: 'POST',
              headers: { 'Content-Type': 'application/json', 'X-CSRFToken': token },
              body: JSON.stringify({ codigo_barras: c }),
            });
            return { status: r.status, body: await r.json() };
          }, code);
          if (info.status === 200 && Number(info.body.data.stock) >= 2) found.push(code);
        }
      }
      assert(found.length === 2, `only ${found.length} products in stock on the list`);
      return found;
    });

    await step('an unknown barcode shows an error and adds nothing', async () => {
      await page.goto(`${base}/ventas/nueva/`);
      expectLookup404 = true;
      await page.fill('#barcode', '0000000000000');
      await page.press('#barcode', 'Enter');
      await page.locator('#scan-error, #pos-error').filter({ hasText: /\S/ }).first()
        .waitFor({ state: 'visible' });
      assert(await page.locator('#cart tbody tr').count() === 0, 'cart is not empty');
      expectLookup404 = false;
    });

    await step('scanning two barcodes fills the cart', async () => {
      for (let i = 0; i < barcodes.length; i++) {
        await page.fill('#barcode', barcodes[i]);
        await page.press('#barcode', 'Enter');
        await page.locator('#cart tbody tr').nth(i).waitFor();
      }
      const rows = await page.locator('#cart tbody tr').count();
      assert(rows === 2, `${rows} rows in the cart`);
    });

    const cartTotal = await step('cart shows a total', async () => {
      const t = pesos(await page.locator('#total-total').textContent());
      assert(t > 0, 'cart total is zero');
      return t;
    });

    const sale = await step('cash checkout goes to the receipt', async () => {
      await page.selectOption('#forma_pago', 'Efectivo');
      await page.fill('#monto_recibido', String((Math.floor(cartTotal / 1000) + 1) * 1000));
      await page.locator('#checkout:not([disabled])').waitFor();
      // Keep a copy of the sale's JSON answer: once the page navigates to the
      // receipt, the browser no longer has its body.
      let answer = null;
      await page.route(`${base}/ventas/nueva/`, async (route) => {
        if (route.request().method() !== 'POST') return route.continue();
        const resp = await route.fetch();
        answer = { status: resp.status(), body: await resp.json() };
        return route.fulfill({ response: resp });
      });
      await Promise.all([
        page.waitForURL(/\/ventas\/\d+\/$/),
        page.click('#checkout'),
      ]);
      await page.unroute(`${base}/ventas/nueva/`);
      assert(answer && answer.status === 201, `sale answered ${answer && answer.status}`);
      const { body } = answer;
      assert(body.success === true, JSON.stringify(body));
      assert(page.url() === `${base}/ventas/${body.data.id}/`, `landed on ${page.url()}`);
      return body.data;
    });

    await step('receipt total equals the cart total and the stored sale', async () => {
      const text = (await page.locator('#venta-total').textContent()).trim();
      assert(text.length > 0, '#venta-total is empty');
      const shown = pesos(text);
      assert(shown === cartTotal, `receipt ${shown} != cart ${cartTotal}`);
      const cents = wireCents(sale.total);
      assert(Math.abs(shown * 100 - cents) < 100, `receipt ${shown} vs sale ${sale.total}`);
      await page.screenshot({ path: path.join(outDir, 'recibo.png'), fullPage: true });
    });

    await step('dashboard total grew by exactly the sale total', async () => {
      const after = await kpiTotal(page, base);
      const cents = wireCents(sale.total);
      if (cents % 100 === 0) {
        assert(after - before === cents / 100, `dashboard ${before} -> ${after}, sale ${sale.total}`);
      } else {
        // Rounded to pesos on both screens, the difference may be one off.
        assert(Math.abs((after - before) * 100 - cents) <= 100,
          `dashboard ${before} -> ${after}, sale ${sale.total}`);
      }
      await page.screenshot({ path: path.join(outDir, 'dashboard.png'), fullPage: true });
    });

    await step('no console errors (CSP violations included)', () => {
      assert(consoleErrors.length === 0, consoleErrors.join('\n'));
    });
  } finally {
    if (browser) await browser.close().catch(() => {});
    if (proc && proc.exitCode === null) {
      proc.kill('SIGTERM');
      await new Promise((r) => {
        const t = setTimeout(() => { proc.kill('SIGKILL'); r(); }, 10000);
        proc.once('exit', () => { clearTimeout(t); r(); });
      });
    }
    if (failed) {
      const logPath = path.join(dir, 'server.log');
      if (fs.existsSync(logPath)) {
        const log = fs.readFileSync(logPath, 'utf8');
        console.log(`--- server log (tail) ---\n${log.slice(-3000)}`);
      }
    }
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

await main().catch((e) => {
  failed++;
  console.log(`not ok - harness: ${e && e.stack ? e.stack : e}`);
});
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
