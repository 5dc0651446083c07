/** The Upload and Report steps' part of the contract (see ../contract.ts). */
import type { z } from 'zod'
import type { RequestSpec } from './request'

export const uploadRequests = {} satisfies Record<string, RequestSpec<z.ZodType, z.ZodType>>

export const uploadEvents = {} satisfies Record<string, z.ZodType>
