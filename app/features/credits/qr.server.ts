import qrcode from 'qrcode-generator';

/** An SVG QR code of a URL (the verification page), drawn on the server: no script needed. */
export function qrSvg(url: string): string {
  const qr = qrcode(0, 'M');
  qr.addData(url);
  qr.make();
  return qr.createSvgTag({ cellSize: 4, margin: 2, scalable: true });
}
