import { writePdf } from '../../../media/pdf-fixture.js';

/**
 * Tiny, valid-looking files of each material kind, made in code (no binaries in the
 * repository): for unit tests, integration tests and the browser journey.
 */

/** A ZIP (stored, no compression) holding these entries; CRCs are left 0 (nobody checks them here). */
export function makeZip(entries: Record<string, string>): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, text] of Object.entries(entries)) {
    const nameBytes = Buffer.from(name, 'utf8');
    const body = Buffer.from(text, 'utf8');
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(body.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt32LE(body.length, 20);
    central.writeUInt32LE(body.length, 24);
    central.writeUInt16LE(nameBytes.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, nameBytes, body);
    centrals.push(central, nameBytes);
    offset += local.length + nameBytes.length + body.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(Object.keys(entries).length, 8);
  end.writeUInt16LE(Object.keys(entries).length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

export const officeEntries = {
  docx: { '[Content_Types].xml': '<Types/>', 'word/document.xml': '<w:document/>' },
  pptx: { '[Content_Types].xml': '<Types/>', 'ppt/presentation.xml': '<p:presentation/>' },
  xlsx: { '[Content_Types].xml': '<Types/>', 'xl/workbook.xml': '<workbook/>' },
};

/** A one-page PDF that readers open. */
export function makePdf(text = 'Lecture notes'): Buffer {
  return writePdf([{ width: 300, height: 144, content: `BT /F1 18 Tf 20 70 Td (${text}) Tj ET` }]);
}

export const pngHeader = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
export const jpegHeader = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46, 0]);
