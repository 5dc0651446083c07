import { SaxesParser, type SaxesTagPlain } from 'saxes'
import { WorkbookDamage } from './damage'

/** The local part of an element name (`x:row` → `row`); some writers prefix every element. */
function localName(name: string): string {
  const colon = name.indexOf(':')
  return colon === -1 ? name : name.slice(colon + 1)
}

export interface XmlHandlers {
  open?(name: string, attributes: Record<string, string>): void
  close?(name: string): void
  text?(text: string): void
}

/** A streaming XML parser fed text piece by piece. */
export interface XmlStream {
  write(text: string): XmlStream
  close(): void
}

/**
 * The most characters a workbook's XML may run without a `<`: a cell's text (Excel holds at most
 * 32,767 characters in one) or one tag with its attributes. The parser gathers such a run into one
 * string before handing it over, so without this bound a small file could make it build a string
 * longer than V8 allows.
 */
export const MAX_XML_RUN_CHARS = 1_048_576
const PIECE_CHARS = 64 * 1024

/**
 * A streaming XML parser with local element names and plain attributes. Anything a spreadsheet
 * program never writes is a {@link WorkbookDamage}: XML that is not well-formed, a document type
 * declaration (where entity tricks live), or a run of more than {@link MAX_XML_RUN_CHARS}
 * characters without markup.
 */
export function createXmlParser(handlers: XmlHandlers): XmlStream {
  const parser = new SaxesParser({ xmlns: false, position: false })
  let inProlog = true // before the root element, where a DOCTYPE would be
  let prolog = ''
  let run = 0 // characters since the last '<'
  parser.on('error', (error) => {
    throw new WorkbookDamage('xml', error.message)
  })
  parser.on('doctype', () => {
    throw new WorkbookDamage('doctype')
  })
  const open = handlers.open
  parser.on('opentag', (tag: SaxesTagPlain) => {
    inProlog = false
    open?.(localName(tag.name), tag.attributes)
  })
  if (handlers.close) {
    const close = handlers.close
    parser.on('closetag', (tag) => close(localName(tag.name)))
  }
  if (handlers.text) {
    const text = handlers.text
    parser.on('text', text)
    parser.on('cdata', text)
  }
  const writePiece = (piece: string): void => {
    const lastTag = piece.lastIndexOf('<')
    run = lastTag === -1 ? run + piece.length : piece.length - lastTag - 1
    if (run > MAX_XML_RUN_CHARS) throw new WorkbookDamage('run')
    if (inProlog) {
      // Found before the parser would gather the whole declaration into one string.
      prolog = (prolog + piece).slice(-4096)
      if (prolog.includes('<!DOCTYPE')) throw new WorkbookDamage('doctype')
    }
    parser.write(piece)
  }
  const stream: XmlStream = {
    write(text) {
      // In pieces, so that a run without markup is never longer than the bound and one piece.
      if (text.length <= PIECE_CHARS) writePiece(text)
      else for (let at = 0; at < text.length; at += PIECE_CHARS) writePiece(text.slice(at, at + PIECE_CHARS))
      return stream
    },
    close() {
      parser.close()
    },
  }
  return stream
}

/** Parses a small XML document whole, calling `open` for every element. */
export function scanXml(xml: string, open: (name: string, attributes: Record<string, string>) => void): void {
  createXmlParser({ open }).write(xml).close()
}
