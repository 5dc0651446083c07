/** The app's steps, in order, in the words the person sees. */
export const STEPS = [
  { id: 'connect', label: 'Connect', description: 'Your Constant Contact account' },
  { id: 'import', label: 'Import', description: 'Open the spreadsheet' },
  { id: 'map', label: 'Map', description: 'Choose the columns' },
  { id: 'review', label: 'Review', description: 'Check the two groups' },
  { id: 'upload', label: 'Upload', description: 'Put each group on its list' },
  { id: 'send', label: 'Send', description: 'Send each group its message' },
  { id: 'report', label: 'Report', description: 'Keep a record' },
] as const

export type StepId = (typeof STEPS)[number]['id']

/** Where the app is: the list of jobs, or a step of one job. */
export type Place = 'jobs' | StepId

export const stepIndex = (id: StepId): number => STEPS.findIndex((step) => step.id === id)
