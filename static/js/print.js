/*
 * print.js - the receipt's Print button (templates/ventas/recibo.html). A
 * separate file because the Content-Security-Policy forbids inline script
 * and onclick attributes.
 */
(function () {
  'use strict';
  var button = document.getElementById('print');
  if (button) {
    button.addEventListener('click', function () {
      window.print();
    });
  }
}());
