/**
 * Friendly names for the generated Constant Contact V3 types (openapi/cc-v3-types.ts, generated from
 * the trimmed official description by `npm run gen:cc-types`). Nothing here is written by hand except
 * the names.
 */
import type { components, operations } from './openapi/cc-v3-types'

type Schemas = components['schemas']
type Query<Op extends keyof operations> = NonNullable<operations[Op]['parameters']['query']>

export type AccountSummary = Schemas['getAccountDetails_200_response']
export type AccountEmail = Schemas['getAllAccountEmailAddresses_200_response_inner']
export type AccountEmailsQuery = Query<'getAllAccountEmailAddresses'>

export type ContactList = Schemas['getList_200_response']
export type ContactListCreated = Schemas['updateList_200_response']
export type ContactListInput = Schemas['updateList_request']
export type ContactListsPage = Schemas['getAllLists_200_response']
export type ContactListsQuery = Query<'getAllLists'>

export type CustomField = Schemas['getCustomField_200_response']
export type CustomFieldInput = Schemas['createCustomFields_request']
export type CustomFieldsPage = Schemas['getAllCustomFields_200_response']

export type ContactsPage = Schemas['getAllContacts_200_response']
/** `include` and `status` take comma-separated values, which the generated type cannot express. */
export type ContactsQuery = Omit<Query<'getAllContacts'>, 'include' | 'status'> & { include?: string; status?: string }

export type JsonImportRequest = Schemas['createImportJSONActivity_request']
export type ImportActivity = Schemas['createCSVImportActivity_201_response']
export type ListMembershipAddRequest = Schemas['createListAddActivity_request']
export type ListMembershipRemoveRequest = Schemas['createListRemoveActivity_request']
export type ListMembershipActivity = Schemas['createListRemoveActivity_201_response']
export type Activity = Schemas['getActivityById_200_response']
export type ContactExportRequest = Schemas['createExportActivity_request']
export type ContactExportActivity = Schemas['createExportActivity_201_response']
export type ActivitiesPage = Schemas['getAllActivities_200_response']
export type ActivitiesQuery = Query<'getAllActivities'>
/** The finished states among those the spec text lists for an activity (the schema itself says only "string"). */
export const FINISHED_ACTIVITY_STATES: ReadonlySet<string> = new Set(['completed', 'cancelled', 'failed', 'timed_out'])

export type EmailCampaignSummary = Schemas['getAllEmailCampaigns_200_response_campaigns_inner']
export type EmailCampaignsPage = Schemas['getAllEmailCampaigns_200_response']
export type EmailCampaignsQuery = Query<'getAllEmailCampaigns'>
export type EmailCampaign = Schemas['createEmailCampaign_200_response']
export type NewEmailCampaign = Schemas['createEmailCampaign_request']
export type EmailCampaignActivity = Schemas['getEmailCampaignActivity_200_response']
export type EmailSchedule = Schemas['getEmailCampaignActivitySchedule_200_response_inner']
export type EmailTestSendRequest = Schemas['testSendEmailCampaignActivity_request']
export type EmailSendRecord = Schemas['getEmailCampaignActivitySendHistory_200_response_inner']

export type AccessTokenResponse = Schemas['AccessTokenResponse']
