import { z } from 'zod';

import { jsonShape } from '../datasources/validate';

/**
 * What `Fliplet.Communicate` accepts, checked on the host. Objects are strict: an option this
 * server does not support (attachments, …) is refused by name instead of silently dropped.
 * Messages are kept in the outbox, so their text must be storable (`jsonShape`): no NUL
 * character, no broken UTF-16 surrogate.
 */

export const MAX_RECIPIENTS = 50;
/** Host calls carry at most 1 MB of JSON anyway; this keeps one email body well inside it. */
export const MAX_BODY_CHARS = 512 * 1024;
export const MAX_SMS_CHARS = 1600;

/** Header-bound text: a line break there could smuggle extra mail headers in. */
const oneLine = (max: number) =>
  z
    .string()
    .max(max)
    .regex(/^[^\r\n]*$/, 'must be on one line');

const emailAddress = z.email({ error: 'expected an email address' }).max(254);

const recipientSchema = z.strictObject({
  email: emailAddress,
  name: oneLine(200).optional(),
  type: z.enum(['to', 'cc', 'bcc']).default('to'),
});

export const sendEmailSchema = z
  .strictObject({
    to: z
      .array(recipientSchema)
      .min(1, 'needs at least one recipient')
      .max(MAX_RECIPIENTS, `takes at most ${MAX_RECIPIENTS} recipients`),
    subject: oneLine(998).trim().min(1, 'cannot be empty'),
    from_name: oneLine(200).optional(),
    html: z.string().max(MAX_BODY_CHARS).optional(),
    text: z.string().max(MAX_BODY_CHARS).optional(),
    headers: z.strictObject({ 'Reply-To': emailAddress.optional() }).optional(),
  })
  .refine((email) => email.html !== undefined || email.text !== undefined, {
    error: 'needs an html or a text body',
    path: ['html'],
  })
  .refine((email) => email.to.some((recipient) => recipient.type === 'to'), {
    error: 'needs at least one recipient of type "to"',
    path: ['to'],
  })
  .superRefine(jsonShape());

export type SendEmailInput = z.input<typeof sendEmailSchema>;

/** Loose on purpose: formats differ by country; the provider is the judge of a number. */
const phoneNumber = z
  .string()
  .trim()
  .regex(/^\+?[0-9][0-9 ().-]{3,30}$/, 'expected a phone number such as +353861234567');

export const sendSmsSchema = z
  .strictObject({
    data: z.strictObject({
      to: phoneNumber,
      body: z.string().min(1, 'cannot be empty').max(MAX_SMS_CHARS),
    }),
  })
  .superRefine(jsonShape());

export type SendSmsInput = z.input<typeof sendSmsSchema>;

export const sendPushSchema = z
  .strictObject({
    title: oneLine(250).trim().min(1, 'cannot be empty'),
    body: z.string().min(1, 'cannot be empty').max(4000),
    sandbox: z.boolean().default(false),
  })
  .superRefine(jsonShape());

export type SendPushInput = z.input<typeof sendPushSchema>;
