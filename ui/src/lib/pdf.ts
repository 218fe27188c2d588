/**
 * PDF pages drawn on a canvas with pdf.js, bundled (no remote resource). Its worker is a file of
 * this bundle, so the strict CSP (`default-src 'self'`) allows it; if a worker cannot start,
 * pdf.js runs the same code on the main thread. Loaded on demand by the attachment viewer.
 */
import * as pdfjs from 'pdfjs-dist';
import type { PDFDocumentProxy } from 'pdfjs-dist';
import workerUrl from 'pdfjs-dist/build/pdf.worker.min.mjs?url';

pdfjs.GlobalWorkerOptions.workerSrc = workerUrl;

export type PdfDocument = PDFDocumentProxy;

export async function openPdf(bytes: ArrayBuffer): Promise<PdfDocument> {
  return pdfjs.getDocument({
    data: new Uint8Array(bytes),
    // The CSP has no 'unsafe-eval': use pdf.js's interpreted font path instead of compiled glyphs.
    isEvalSupported: false,
    // No remote or unbundled resources: fonts not embedded in the file fall back to system fonts.
    useSystemFonts: true,
    disableAutoFetch: true,
  }).promise;
}

/**
 * Draws page `n` (1-based) on `canvas`, `cssWidth` pixels wide (times the device pixel ratio for
 * sharpness). Returns the page's drawn size in CSS pixels.
 */
export async function renderPage(
  doc: PdfDocument,
  n: number,
  canvas: HTMLCanvasElement,
  cssWidth: number,
): Promise<{ width: number; height: number }> {
  const page = await doc.getPage(n);
  const base = page.getViewport({ scale: 1 });
  const scale = cssWidth / base.width;
  const ratio = globalThis.devicePixelRatio || 1;
  const viewport = page.getViewport({ scale: scale * ratio });
  canvas.width = Math.floor(viewport.width);
  canvas.height = Math.floor(viewport.height);
  await page.render({ canvas, viewport }).promise;
  return { width: viewport.width / ratio, height: viewport.height / ratio };
}
