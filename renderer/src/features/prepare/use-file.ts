/**
 * The Prepare session's file: the one loaded, opening a new one (handing it to main, then reading
 * its beginning), reading it again another way, and sampling a newly chosen flag column. Each is an
 * action whose latest call wins: an answer to a request made before the latest one is not taken.
 */
import { useMutation } from '@tanstack/react-query'
import { useRef, useState } from 'react'
import { useApi } from '../../common/api/client'
import { draftFromChoices, sheetFromChoices } from './from-choices'
import type { JobChoices } from '../jobs/types'
import {
  draftFromLastRun,
  draftFromSuggestion,
  flagAssignments,
  resolvedReadOptions,
  type MappingDraft,
} from './mapping'
import type { LoadedFile } from './session'
import type { AttachedFile, Inspection, ReadOptions } from './types'
import type { usePass } from './use-pass'

export interface FileState {
  loaded: LoadedFile | null
  /** The latest file, for callbacks that run after the render that made them. */
  latest(): LoadedFile | null
  keep(next: LoadedFile | null): void
}

export function useLoadedFile(): FileState {
  const [loaded, setLoaded] = useState<LoadedFile | null>(null)
  const latest = useRef<LoadedFile | null>(null)
  return {
    loaded,
    latest: () => latest.current,
    keep: (next) => {
      latest.current = next
      setLoaded(next)
    },
  }
}

interface Attach {
  attach(): Promise<AttachedFile | null>
  /** Known for a dropped file; a picked file's name is known once it is picked. */
  name?: string
}

interface Inspect {
  file: AttachedFile
  read: ReadOptions
  /** The draft so far, whose group names, flag choices and conflict rule carry over. */
  previous: MappingDraft | undefined
  /** An earlier job's choices to apply instead ("Start the next file with these choices"). */
  template: JobChoices | null
  /** A file just opened: the last run's choices for its columns are filled in, when there are any (and no job's choices were asked for). */
  fresh: boolean
}

/** Opening a file and reading it (again): the pass starts as soon as the file is read. */
export function useFileReading(file: FileState, pass: ReturnType<typeof usePass>) {
  const api = useApi()
  const attaching = useMutation({ mutationFn: ({ attach }: Attach) => attach() })
  const inspecting = useMutation({
    mutationFn: async ({ file, read, previous, template, fresh }: Inspect): Promise<LoadedFile> => {
      let inspection = await api.call('prepare.inspect', { fileId: file.fileId, read })
      if (!template) {
        const last = fresh
          ? await api.call('prepare.lastChoices', { columns: inspection.columns.map((c) => c.name) })
          : null
        const draft = last ? draftFromLastRun(last) : draftFromSuggestion(inspection, previous)
        return { ...sampled(file, read, inspection, draft), template, differences: [] }
      }
      const sheet = read.sheet === undefined ? sheetFromChoices(template, inspection) : null
      if (sheet) {
        read = { ...read, sheet }
        inspection = await api.call('prepare.inspect', { fileId: file.fileId, read })
      }
      const { draft, differences } = draftFromChoices(template, inspection)
      // The flag values counted are the suggested column's; the job's flag column may be another.
      if (draft.flagColumn < 0 || draft.flagColumn === inspection.suggestion.mapping.flagColumn)
        return { ...sampled(file, read, inspection, draft), template, differences }
      const flagSample = await api.call('prepare.inspect', {
        fileId: file.fileId,
        read: resolvedReadOptions(inspection),
        flagColumn: draft.flagColumn,
        flags: flagAssignments(draft),
      })
      return {
        file,
        read,
        inspection,
        draft,
        flagSample: flagSample.flagValues,
        blankSample: flagSample.blankFlags,
        template,
        differences,
      }
    },
  })

  const inspect = (request: Inspect, fresh: boolean) =>
    inspecting.mutate(request, {
      onSuccess: (next) => {
        file.keep(next)
        pass.startFor(next)
      },
      // A new file that can't be read replaces the old one; a new way of reading keeps what was there.
      onError: () => fresh && file.keep(null),
    })

  const openFile = (attach: () => Promise<AttachedFile | null>, name?: string, template: JobChoices | null = null) => {
    inspecting.reset()
    attaching.mutate(name === undefined ? { attach } : { attach, name }, {
      onSuccess: (attached) => {
        if (!attached) return
        pass.stop()
        pass.reset()
        inspect({ file: attached, read: {}, previous: file.latest()?.draft, template, fresh: true }, true)
      },
    })
  }

  const changeReading = (change: ReadOptions) => {
    const current = file.latest()
    if (!current) return
    const read: ReadOptions = { ...current.read, ...change }
    // Another sheet has its own header row.
    if (change.sheet !== undefined && change.headerRow === undefined) delete read.headerRow
    inspect({ file: current.file, read, previous: current.draft, template: current.template, fresh: false }, false)
  }

  const name = attaching.isPending
    ? (attaching.variables.name ?? null)
    : inspecting.isPending
      ? inspecting.variables.file.name
      : null
  const abandon = () => {
    attaching.reset()
    inspecting.reset()
  }
  return { attaching, inspecting, name, openFile, changeReading, abandon }
}

/** A file read with `draft`, its flag column's values as the inspection counted them. */
function sampled(file: AttachedFile, read: ReadOptions, inspection: Inspection, draft: MappingDraft) {
  return { file, read, inspection, draft, flagSample: inspection.flagValues, blankSample: inspection.blankFlags }
}

/** Counts a newly chosen flag column's values in the first rows (read the same way as before). */
export function useFlagSampling(file: FileState) {
  const api = useApi()
  const sampling = useMutation({
    mutationFn: (target: LoadedFile) =>
      api.call('prepare.inspect', {
        fileId: target.file.fileId,
        read: resolvedReadOptions(target.inspection),
        flagColumn: target.draft.flagColumn,
        flags: flagAssignments(target.draft),
      }),
  })
  const sample = (target: LoadedFile) => {
    if (target.draft.flagColumn < 0) {
      sampling.reset()
      file.keep({ ...target, flagSample: [], blankSample: 0 })
      return
    }
    sampling.mutate(target, {
      onSuccess: (result) => {
        const latest = file.latest()
        if (latest && latest.file.fileId === target.file.fileId)
          file.keep({ ...latest, flagSample: result.flagValues, blankSample: result.blankFlags })
      },
    })
  }
  return { sampling, sample }
}
