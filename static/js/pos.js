/*
 * pos.js - the point-of-sale screen (templates/ventas/pos.html): barcode
 * lookup through the API, the cart, live totals and change, and the
 * checkout. Figures use the server's integer arithmetic (BigInt cents,
 * round half up) but are display only: the server reads prices itself and
 * recomputes everything. One idempotency key per cart makes a double click
 * or a retried request one sale.
 */
(function () {
  'use strict';

  var root = document.getElementById('pos');
  if (!root) {
    return;
  }

  var DECIMALES = root.getAttribute('data-decimales') === '2' ? 2 : 0;
  var QTY_MAX_MILLI = 1000000000n;
  var MONEY_MAX_CENTS = 100000000000000n;
  var MAX_ITEMS = 200;

  var el = {
    scanForm: document.getElementById('scan-form'),
    barcode: document.getElementById('barcode'),
    scanError: document.getElementById('scan-error'),
    cartBody: document.getElementById('cart-body'),
    cartEmpty: document.getElementById('cart-empty'),
    neto: document.getElementById('total-neto'),
    iva: document.getElementById('total-iva'),
    total: document.getElementById('total-total'),
    cliente: document.getElementById('cliente'),
    formaPago: document.getElementById('forma_pago'),
    grupoEfectivo: document.getElementById('pago-efectivo'),
    grupoTransferencia: document.getElementById('pago-transferencia'),
    recibido: document.getElementById('monto_recibido'),
    cambio: document.getElementById('cambio'),
    montoError: document.getElementById('monto-error'),
    banco: document.getElementById('banco'),
    referencia: document.getElementById('referencia'),
    error: document.getElementById('pos-error'),
    checkout: document.getElementById('checkout')
  };

  var cart = [];          /* {id, nombre, codigo, unidad, precio, ivaCenti, stock, qty, valid, cells} */
  var idempotencyKey = null;
  var busy = false;
  var scanQueue = Promise.resolve();

  /* ---- exact arithmetic (mirrors src/domain/money.c) ---------------- */

  function divRoundHalfUp(a, b) {
    var neg = a < 0n;
    var ua = neg ? -a : a;
    var q = ua / b;
    if ((ua % b) * 2n >= b) {
      q += 1n;
    }
    return neg ? -q : q;
  }

  function lineNet(precioCents, qtyMilli) {
    return divRoundHalfUp(precioCents * qtyMilli, 1000n);
  }

  function lineIva(precioCents, qtyMilli, ivaCenti) {
    return divRoundHalfUp(precioCents * qtyMilli * ivaCenti, 10000000n);
  }

  /* "12", "0.250", "1,5" with at most maxDecimals decimals -> BigInt scaled by 10^scale. */
  function parsePlain(text, maxDecimals, scale) {
    var m = /^(\d+)(?:[.,](\d+))?$/.exec(text);
    if (!m || text.length > 40) {
      return null;
    }
    var frac = m[2] || '';
    if (frac.length > maxDecimals) {
      return null;
    }
    while (frac.length < scale) {
      frac += '0';
    }
    return BigInt(m[1] + frac);
  }

  /* Signed wire decimal from the API ("1500.00", "-2", "0.25"). */
  function parseWire(text, scale) {
    var s = String(text || '');
    var neg = s.charAt(0) === '-';
    var v = parsePlain(neg ? s.slice(1) : s, scale, scale);
    if (v === null) {
      return null;
    }
    return neg ? -v : v;
  }

  function parseQty(text) {
    var v = parsePlain(String(text).trim(), 3, 3);
    if (v === null || v <= 0n || v > QTY_MAX_MILLI) {
      return null;
    }
    return v;
  }

  /*
   * Money as a shopkeeper types it, by money_parse's rules: a ',' is the
   * decimal separator; without one, a single '.' followed by 1-2 digits
   * is a decimal point and by 3 digits a thousands separator; several
   * '.' are thousands separators in groups of three.
   */
  function parseMoney(text) {
    var s = String(text).trim().replace(/^\$[\s\u00a0]*/, '');
    if (!s || s.length > 64 || !/^[\d.,]+$/.test(s)) {
      return null;
    }
    var commas = s.split(',').length - 1;
    var dots = s.split('.').length - 1;
    if (commas > 1 || (commas === 1 && dots && s.lastIndexOf('.') > s.indexOf(','))) {
      return null;
    }
    var intPart = s;
    var frac = '';
    var dotsAreThousands = dots > 0;
    if (commas === 1) {
      intPart = s.slice(0, s.indexOf(','));
      frac = s.slice(s.indexOf(',') + 1);
    } else if (dots === 1) {
      var after = s.length - s.lastIndexOf('.') - 1;
      if (after === 1 || after === 2) {
        dotsAreThousands = false;
        intPart = s.slice(0, s.lastIndexOf('.'));
        frac = s.slice(s.lastIndexOf('.') + 1);
      } else if (after !== 3) {
        return null;
      }
    }
    if (dotsAreThousands) {
      if (!/^\d{1,3}(\.\d{3})+$/.test(intPart)) {
        return null;
      }
      intPart = intPart.replace(/\./g, '');
    }
    var v = parsePlain(frac ? intPart + '.' + frac : intPart, 2, 2);
    if (v === null || v > MONEY_MAX_CENTS) {
      return null;
    }
    return v;
  }

  function groupThousands(u) {
    var s = u.toString();
    var out = '';
    while (s.length > 3) {
      out = '.' + s.slice(-3) + out;
      s = s.slice(0, -3);
    }
    return s + out;
  }

  /* es-CO display, as money_format: "$ 1.234.567" or "$ 1.234.567,89". */
  /* Cash is asked for as the total is shown (the server does the same):
     with whole-peso display, the total rounded half up to whole pesos. */
  function cashDue(totalCents) {
    if (DECIMALES !== 0) {
      return totalCents;
    }
    return ((totalCents + 50n) / 100n) * 100n;
  }

  function formatMoney(cents) {
    var neg = cents < 0n;
    var u = neg ? -cents : cents;
    var whole = u / 100n;
    var frac = u % 100n;
    if (DECIMALES === 0) {
      if (frac >= 50n) {
        whole += 1n;
      }
      return (neg && whole > 0n ? '-' : '') + '$ ' + groupThousands(whole);
    }
    return (neg ? '-' : '') + '$ ' + groupThousands(whole) + ',' + (frac < 10n ? '0' : '') + frac.toString();
  }

  /* value / 10^scale without trailing zeros: the wire and display form of quantities. */
  function formatScaled(v, scale) {
    var neg = v < 0n;
    var u = neg ? -v : v;
    var factor = 10n ** BigInt(scale);
    var out = (u / factor).toString();
    var frac = (u % factor).toString();
    if (frac !== '0') {
      while (frac.length < scale) {
        frac = '0' + frac;
      }
      out += '.' + frac.replace(/0+$/, '');
    }
    return (neg ? '-' : '') + out;
  }

  function formatPlainMoney(cents) {
    var frac = (cents % 100n).toString();
    return (cents / 100n).toString() + '.' + (frac.length < 2 ? '0' + frac : frac);
  }

  /* ---- helpers ------------------------------------------------------- */

  function csrfToken() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute('content') : '';
  }

  function newKey() {
    if (window.crypto && typeof window.crypto.randomUUID === 'function') {
      return window.crypto.randomUUID();
    }
    /* randomUUID needs a secure context; a shop on plain http over the LAN still gets a v4 UUID. */
    var b = new Uint8Array(16);
    window.crypto.getRandomValues(b);
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    var h = Array.prototype.map.call(b, function (x) {
      return (x < 16 ? '0' : '') + x.toString(16);
    }).join('');
    return h.slice(0, 8) + '-' + h.slice(8, 12) + '-' + h.slice(12, 16) + '-' + h.slice(16, 20) + '-' + h.slice(20);
  }

  function show(node, text) {
    node.textContent = text;
    node.hidden = !text;
  }

  function postJSON(url, body) {
    return fetch(url, {
      method: 'POST',
      credentials: 'same-origin',
      headers: {
        'Content-Type': 'application/json',
        'Accept': 'application/json',
        'X-CSRFToken': csrfToken()
      },
      body: JSON.stringify(body)
    }).then(function (res) {
      return res.json().catch(function () {
        return {};
      }).then(function (data) {
        return { status: res.status, data: data || {} };
      });
    });
  }

  function makeCell(tr, className) {
    var td = document.createElement('td');
    if (className) {
      td.className = className;
    }
    tr.appendChild(td);
    return td;
  }

  /* ---- cart ---------------------------------------------------------- */

  function buildRow(item) {
    var tr = document.createElement('tr');
    tr.setAttribute('data-producto-id', String(item.id));

    var tdNombre = makeCell(tr, 'pos-producto');
    var nombre = document.createElement('div');
    nombre.className = 'pos-nombre';
    nombre.textContent = item.nombre;
    var meta = document.createElement('div');
    meta.className = 'muted pos-meta';
    tdNombre.appendChild(nombre);
    tdNombre.appendChild(meta);

    var tdQty = makeCell(tr, 'num');
    var input = document.createElement('input');
    input.type = 'text';
    input.className = 'qty';
    input.inputMode = 'decimal';
    input.maxLength = 14;
    input.autocomplete = 'off';
    input.value = formatScaled(item.qty, 3);
    input.setAttribute('aria-label', 'Cantidad de ' + item.nombre);
    input.addEventListener('input', function () {
      var q = parseQty(input.value);
      item.valid = q !== null && (item.unidad === 'kg' || q % 1000n === 0n);
      if (q !== null) {
        item.qty = q;
      }
      refresh();
    });
    var unidad = document.createElement('span');
    unidad.className = 'muted pos-unidad';
    unidad.textContent = item.unidad === 'kg' ? 'kg' : 'und';
    tdQty.appendChild(input);
    tdQty.appendChild(unidad);

    var tdPrecio = makeCell(tr, 'num');
    tdPrecio.textContent = formatMoney(item.precio);
    var tdIva = makeCell(tr, 'num');
    var tdSubtotal = makeCell(tr, 'num pos-subtotal');

    var tdQuitar = makeCell(tr, 'pos-quitar');
    var quitar = document.createElement('button');
    quitar.type = 'button';
    quitar.className = 'btn btn-small btn-danger pos-remove';
    quitar.textContent = 'Quitar';
    quitar.setAttribute('aria-label', 'Quitar ' + item.nombre);
    quitar.addEventListener('click', function () {
      removeItem(item);
    });
    tdQuitar.appendChild(quitar);

    item.cells = { tr: tr, meta: meta, input: input, iva: tdIva, subtotal: tdSubtotal };
    return tr;
  }

  function updateRow(item) {
    var c = item.cells;
    c.input.classList.toggle('input-error', !item.valid);
    var metaText = item.codigo;
    if (item.stock !== null) {
      metaText += ' · Disponible: ' + formatScaled(item.stock, 3);
    }
    if (!item.valid) {
      metaText += item.unidad === 'kg'
        ? ' · Cantidad inválida (hasta 3 decimales)'
        : ' · Se vende por unidades: use un número entero';
    }
    c.meta.textContent = metaText;
    var sobre = item.valid && item.stock !== null && item.qty > item.stock;
    c.tr.classList.toggle('pos-sin-stock', sobre);
    c.tr.classList.toggle('pos-invalida', !item.valid);
    if (!item.valid) {
      c.iva.textContent = '—';
      c.subtotal.textContent = '—';
      return;
    }
    var neto = lineNet(item.precio, item.qty);
    var iva = lineIva(item.precio, item.qty, item.ivaCenti);
    c.iva.textContent = formatMoney(iva) + ' (' + formatScaled(item.ivaCenti, 2) + ' %)';
    c.subtotal.textContent = formatMoney(neto + iva);
  }

  function totals() {
    var neto = 0n;
    var iva = 0n;
    cart.forEach(function (item) {
      if (item.valid) {
        neto += lineNet(item.precio, item.qty);
        iva += lineIva(item.precio, item.qty, item.ivaCenti);
      }
    });
    return { neto: neto, iva: iva, total: neto + iva };
  }

  function refresh() {
    var allValid = true;
    cart.forEach(function (item) {
      updateRow(item);
      allValid = allValid && item.valid;
    });
    el.cartEmpty.hidden = cart.length > 0;

    var t = totals();
    el.neto.textContent = formatMoney(t.neto);
    el.iva.textContent = formatMoney(t.iva);
    el.total.textContent = formatMoney(t.total);

    var transferencia = el.formaPago.value === 'Transferencia';
    el.grupoEfectivo.hidden = transferencia;
    el.grupoTransferencia.hidden = !transferencia;

    var pagoOk = true;
    var montoMsg = '';
    if (transferencia) {
      pagoOk = el.banco.value.trim() !== '';
      el.cambio.textContent = formatMoney(0n);
    } else {
      var texto = el.recibido.value.trim();
      var recibido = texto ? parseMoney(texto) : null;
      if (texto && recibido === null) {
        pagoOk = false;
        montoMsg = 'Monto inválido: escriba por ejemplo 50000 o 50.000';
      } else if (recibido !== null && recibido > 0n && recibido < cashDue(t.total)) {
        pagoOk = false;
        montoMsg = 'El monto recibido es menor que el total (faltan ' + formatMoney(cashDue(t.total) - recibido) + ')';
      }
      el.cambio.textContent = formatMoney(recibido !== null && recibido > cashDue(t.total) ? recibido - cashDue(t.total) : 0n);
      el.recibido.classList.toggle('input-error', montoMsg !== '');
    }
    show(el.montoError, montoMsg);
    el.banco.classList.toggle('input-error', transferencia && !pagoOk);

    el.checkout.disabled = busy || cart.length === 0 || !allValid || !pagoOk;
  }

  function redraw() {
    while (el.cartBody.firstChild) {
      el.cartBody.removeChild(el.cartBody.firstChild);
    }
    cart.forEach(function (item) {
      el.cartBody.appendChild(item.cells ? item.cells.tr : buildRow(item));
    });
    refresh();
  }

  function removeItem(item) {
    cart = cart.filter(function (x) {
      return x !== item;
    });
    if (cart.length === 0) {
      idempotencyKey = null;
    }
    show(el.error, '');
    redraw();
    el.barcode.focus();
  }

  function addProduct(p) {
    var id = Number(p.id);
    var existing = cart.find(function (x) {
      return x.id === id;
    });
    if (existing) {
      existing.qty = (existing.valid ? existing.qty : 0n) + 1000n;
      existing.valid = existing.qty <= QTY_MAX_MILLI;
      existing.cells.input.value = formatScaled(existing.qty, 3);
      refresh();
      return;
    }
    var precio = parseWire(p.precio, 2);
    var ivaCenti = parseWire(p.iva_porcentaje, 2);
    if (!Number.isSafeInteger(id) || precio === null || ivaCenti === null) {
      show(el.scanError, 'Respuesta inesperada del servidor');
      return;
    }
    if (cart.length >= MAX_ITEMS) {
      show(el.scanError, 'La venta no puede tener más de ' + MAX_ITEMS + ' productos');
      return;
    }
    if (cart.length === 0) {
      idempotencyKey = newKey();
    }
    cart.push({
      id: id,
      nombre: String(p.nombre || ''),
      codigo: String(p.codigo_de_barras || ''),
      unidad: p.unidad === 'kg' ? 'kg' : 'unidad',
      precio: precio,
      ivaCenti: ivaCenti,
      stock: parseWire(p.stock, 3),
      qty: 1000n,
      valid: true,
      cells: null
    });
    redraw();
  }

  function lookup(codigo) {
    return postJSON('/ventas/api/buscar-producto/', { codigo_barras: codigo }).then(function (r) {
      if (r.status === 200 && r.data.success && r.data.data) {
        show(el.scanError, '');
        addProduct(r.data.data);
      } else {
        show(el.scanError, (r.data.error || 'Producto no encontrado') + ' (código ' + codigo + ')');
      }
    }, function () {
      show(el.scanError, 'No se pudo consultar el producto: revise la conexión');
    });
  }

  /* ---- checkout ------------------------------------------------------ */

  function checkout() {
    refresh();
    if (el.checkout.disabled) {
      return;
    }
    if (!idempotencyKey) {
      idempotencyKey = newKey();
    }
    var transferencia = el.formaPago.value === 'Transferencia';
    var recibido = transferencia ? null : parseMoney(el.recibido.value);
    var body = {
      items: cart.map(function (item) {
        return { producto_id: item.id, cantidad: formatScaled(item.qty, 3) };
      }),
      forma_pago: transferencia ? 'Transferencia' : 'Efectivo',
      monto_recibido: recibido !== null ? formatPlainMoney(recibido) : '',
      banco: transferencia ? el.banco.value.trim() : '',
      referencia: transferencia ? el.referencia.value.trim() : '',
      cliente: el.cliente.value.trim(),
      cliente_id: null,
      idempotency_key: idempotencyKey
    };
    busy = true;
    el.checkout.textContent = 'Cobrando…';
    show(el.error, '');
    refresh();
    postJSON('/ventas/nueva/', body).then(function (r) {
      if ((r.status === 201 || r.status === 200) && r.data.success && r.data.data) {
        window.location.assign('/ventas/' + encodeURIComponent(String(r.data.data.id)) + '/');
        return;
      }
      busy = false;
      el.checkout.textContent = 'Cobrar';
      show(el.error, r.data.error || ('No se pudo registrar la venta (error ' + r.status + ')'));
      refresh();
    }, function () {
      /* The sale may or may not have been stored: retrying with the same key is safe. */
      busy = false;
      el.checkout.textContent = 'Cobrar';
      show(el.error, 'No se pudo conectar con el servidor. Intente de nuevo: la venta no se duplicará.');
      refresh();
    });
  }

  /* ---- wiring -------------------------------------------------------- */

  el.scanForm.addEventListener('submit', function (ev) {
    ev.preventDefault();
    var codigo = el.barcode.value.trim();
    el.barcode.value = '';
    if (!codigo) {
      return;
    }
    /* A scanner can fire codes faster than answers come back: keep them in order. */
    scanQueue = scanQueue.then(function () {
      return lookup(codigo);
    });
  });

  [el.recibido, el.banco, el.referencia, el.cliente].forEach(function (input) {
    input.addEventListener('input', refresh);
  });
  el.formaPago.addEventListener('change', refresh);
  el.checkout.addEventListener('click', checkout);

  refresh();
}());
