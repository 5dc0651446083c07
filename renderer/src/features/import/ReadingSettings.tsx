import { NumberInput, Select, SimpleGrid } from '@mantine/core'
import { useState } from 'react'
import { DELIMITERS, TEXT_ENCODINGS } from '../../../../shared/prepare/schemas'
import type { Delimiter, ReadOptions, TextEncoding } from '../prepare/types'
import { DELIMITER_NAMES, ENCODING_NAMES, sheetChoiceWords } from './words'
import type { Inspection } from '../prepare/types'

/**
 * How the file is read, as detected, each changeable: the text encoding and the separator (text
 * files), the sheet (workbooks) and the header row. A change reads the beginning of the file again.
 */
export function ReadingSettings({
  inspection,
  sheetChosenByPerson,
  disabled,
  onChange,
}: {
  inspection: Inspection
  /** The person chose the sheet (else Splitsend did, and says why). */
  sheetChosenByPerson: boolean
  disabled: boolean
  onChange(change: ReadOptions): void
}) {
  const detectedNote = (chosen: string | undefined, detected: string | undefined, names: Record<string, string>) =>
    chosen !== undefined && detected !== undefined && chosen !== detected
      ? `Splitsend detected: ${names[detected] ?? detected}`
      : 'Detected from the file'

  return (
    <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
      {inspection.format === 'csv' && (
        <>
          <Select
            label="Text encoding"
            description={detectedNote(inspection.encoding, inspection.encodingDetected, ENCODING_NAMES)}
            data={TEXT_ENCODINGS.map((encoding) => ({ value: encoding, label: ENCODING_NAMES[encoding] }))}
            value={inspection.encoding ?? null}
            onChange={(value) => value && onChange({ encoding: value as TextEncoding })}
            allowDeselect={false}
            disabled={disabled}
          />
          <Select
            label="Values separated by"
            description={detectedNote(inspection.delimiter, inspection.delimiterDetected, DELIMITER_NAMES)}
            data={DELIMITERS.map((delimiter) => ({ value: delimiter, label: DELIMITER_NAMES[delimiter] }))}
            value={inspection.delimiter ?? null}
            onChange={(value) => value && onChange({ delimiter: value as Delimiter })}
            allowDeselect={false}
            disabled={disabled}
          />
        </>
      )}
      {inspection.format === 'xlsx' && inspection.sheets && (
        <Select
          label="Sheet"
          description={sheetChoiceWords(inspection.sheets, inspection.sheet, sheetChosenByPerson)}
          data={inspection.sheets.map((sheet) => ({
            value: sheet.name,
            label:
              sheet.name +
              (sheet.contacts ? ' (email addresses)' : sheet.hasData ? '' : ' (empty)') +
              (sheet.hidden ? ' (hidden)' : ''),
          }))}
          value={inspection.sheet ?? null}
          onChange={(value) => value && onChange({ sheet: value })}
          allowDeselect={false}
          disabled={disabled}
        />
      )}
      <HeaderRowInput inspection={inspection} disabled={disabled} onChange={(headerRow) => onChange({ headerRow })} />
    </SimpleGrid>
  )
}

/** The header row as Excel numbers it; typed, then applied when the person leaves the box or presses Enter. */
function HeaderRowInput({
  inspection,
  disabled,
  onChange,
}: {
  inspection: Inspection
  disabled: boolean
  onChange(row: number): void
}) {
  // What the person typed, for the header row it was typed over; a new reading of the file shows its own row.
  const [draft, setDraft] = useState<{ over: number; typed: string | number } | null>(null)
  const typed = draft && draft.over === inspection.headerRow ? draft.typed : inspection.headerRow
  const setTyped = (value: string | number) => setDraft({ over: inspection.headerRow, typed: value })
  const apply = () => {
    const row = typeof typed === 'number' ? typed : Number.parseInt(typed, 10)
    if (Number.isInteger(row) && row >= 0 && row !== inspection.headerRow) onChange(row)
    else setDraft(null)
  }
  const detected =
    inspection.headerRowDetected === 0
      ? 'Splitsend found no header row'
      : `Splitsend found it on row ${inspection.headerRowDetected}`
  return (
    <NumberInput
      label="Header row (the row with the column names)"
      description={`${detected}. Type 0 if the file has no header row.`}
      value={typed}
      onChange={setTyped}
      onBlur={apply}
      onKeyDown={(event) => event.key === 'Enter' && apply()}
      min={0}
      max={1_048_576}
      allowDecimal={false}
      allowNegative={false}
      disabled={disabled}
    />
  )
}
