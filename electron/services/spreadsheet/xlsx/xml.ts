import { SaxesParser, type SaxesTagPlain } from 'saxes'

/** The local part of an element name (`x:row` → `row`); some writers prefix every element. */
export function localName(name: string): string {
  const colon = name.indexOf(':')
  return colon === -1 ? name : name.slice(colon + 1)
}

export interface XmlHandlers {
  open?(name: string, attributes: Record<string, string>): void
  close?(name: string): void
  text?(text: string): void
}

/** A streaming XML parser with local element names and plain attributes. */
export function createXmlParser(handlers: XmlHandlers): SaxesParser {
  const parser = new SaxesParser({ xmlns: false, position: false })
  if (handlers.open) {
    const open = handlers.open
    parser.on('opentag', (tag: SaxesTagPlain) => open(localName(tag.name), tag.attributes))
  }
  if (handlers.close) {
    const close = handlers.close
    parser.on('closetag', (tag) => close(localName(tag.name)))
  }
  if (handlers.text) {
    const text = handlers.text
    parser.on('text', text)
    parser.on('cdata', text)
  }
  return parser
}

/** Parses a small XML document whole, calling `open` for every element. */
export function scanXml(xml: string, open: (name: string, attributes: Record<string, string>) => void): void {
  const parser = createXmlParser({ open })
  parser.write(xml).close()
}
