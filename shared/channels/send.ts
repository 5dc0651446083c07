/** The Send steps' part of the contract (see ../contract.ts). */
import type { z } from 'zod'
import type { RequestSpec } from './request'

export const sendRequests = {} satisfies Record<string, RequestSpec<z.ZodType, z.ZodType>>

export const sendEvents = {} satisfies Record<string, z.ZodType>
