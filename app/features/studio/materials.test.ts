import { describe, expect, it } from 'vitest';
import { jpegHeader, makePdf, makeZip, officeEntries, pngHeader } from './material-fixtures.js';
import { attachmentDisposition, detectMaterialKind, sanitiseMaterialName, zipEntryNames } from './materials.js';

describe('detectMaterialKind: by content, not by name', () => {
  it('recognises each allowed kind from its bytes', () => {
    expect(detectMaterialKind(makePdf())).toBe('pdf');
    expect(detectMaterialKind(pngHeader)).toBe('png');
    expect(detectMaterialKind(jpegHeader)).toBe('jpeg');
    expect(detectMaterialKind(makeZip(officeEntries.docx))).toBe('docx');
    expect(detectMaterialKind(makeZip(officeEntries.pptx))).toBe('pptx');
    expect(detectMaterialKind(makeZip(officeEntries.xlsx))).toBe('xlsx');
    expect(detectMaterialKind(makeZip({ 'data/readme.txt': 'hello', 'word/document.xml': 'no content types' }))).toBe('zip');
  });

  it('refuses everything else, whatever it claims to be', () => {
    const refused = [
      Buffer.from('MZ\x90\x00 this is a Windows executable'),
      Buffer.from('<html><script>alert(1)</script></html>'),
      Buffer.from('GIF89a'),
      Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), // legacy .doc/.ppt (OLE)
      Buffer.from('PK\x03\x04 a truncated zip with no directory'),
      Buffer.from(' %PDF-1.4 (not at the start)'),
      Buffer.alloc(0),
    ];
    for (const bytes of refused) expect(detectMaterialKind(bytes), JSON.stringify(bytes.subarray(0, 8).toString('latin1'))).toBeNull();
  });

  it('reads the entry names of a ZIP, and rejects a directory pointing past the end', () => {
    expect(zipEntryNames(makeZip({ 'a.txt': 'a', '目录/b.txt': 'b' }))).toEqual(['a.txt', '目录/b.txt']);
    const broken = makeZip({ 'a.txt': 'a' });
    broken.writeUInt32LE(broken.length + 100, broken.length - 6);
    expect(zipEntryNames(broken)).toBeNull();
  });
});

describe('sanitiseMaterialName', () => {
  it('keeps a readable name (Chinese included) and forces the detected extension', () => {
    expect(sanitiseMaterialName('第一讲 讲义.pdf', 'pdf')).toBe('第一讲 讲义.pdf');
    expect(sanitiseMaterialName('slides.PDF', 'pptx')).toBe('slides.pptx');
    expect(sanitiseMaterialName('notes', 'docx')).toBe('notes.docx');
    expect(sanitiseMaterialName('photo.jpeg', 'jpeg')).toBe('photo.jpg');
  });

  it('drops directories, control and reserved characters, direction overrides and leading dots', () => {
    expect(sanitiseMaterialName('../../etc/passwd', 'pdf')).toBe('passwd.pdf');
    expect(sanitiseMaterialName('C:\\Users\\a\\evil.exe', 'zip')).toBe('evil.zip');
    expect(sanitiseMaterialName('a\u0000b\r\nc<>:"|?*;.pdf', 'pdf')).toBe('abc.pdf');
    expect(sanitiseMaterialName('invoice\u202Efdp.exe', 'pdf')).toBe('invoicefdp.pdf');
    expect(sanitiseMaterialName('...hidden', 'png')).toBe('hidden.png');
    expect(sanitiseMaterialName('////', 'pdf')).toBe('material.pdf');
    expect(sanitiseMaterialName('x'.repeat(300) + '.pdf', 'pdf')).toHaveLength(104);
  });
});

describe('attachmentDisposition', () => {
  it('sends an ASCII fallback and the UTF-8 name, with nothing that can break the header', () => {
    expect(attachmentDisposition('第一讲 讲义.pdf')).toBe("attachment; filename=\"___ __.pdf\"; filename*=UTF-8''%E7%AC%AC%E4%B8%80%E8%AE%B2%20%E8%AE%B2%E4%B9%89.pdf");
    expect(attachmentDisposition("it's (final).pdf")).toBe("attachment; filename=\"it's (final).pdf\"; filename*=UTF-8''it%27s%20%28final%29.pdf");
  });
});
