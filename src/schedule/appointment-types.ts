import { notFound } from '../errors.js';

/**
 * Appointment types (migrations/0070): what a doctor offers and how each is booked. The default type
 * leaves length, buffer and fee unset and follows the weekly rules, the availability buffer and the
 * profile fee — the hub's behaviour from before types.
 */

export type Audience = 'any' | 'new' | 'returning';

export interface AppointmentType {
  id: string;
  name: string;
  /** Null on the default type: each weekly rule's slotMinutes. */
  durationMinutes: number | null;
  /** Null on the default type: the doctor's profile fee. */
  feeCents: number | null;
  currency: string | null;
  online: boolean;
  audience: Audience;
  /** Null on the default type: the availability's bufferMinutes. */
  bufferMinutes: number | null;
  isDefault: boolean;
}

/** What slot generation needs of a type on a given doctor. */
export interface SlotShape {
  typeId: string;
  /** Undefined: every rule's own slotMinutes. */
  slotMinutes: number | undefined;
  bufferMinutes: number;
}

/** The type a request names, or the doctor's default; 404 for a type the doctor does not offer. */
export function chooseType(types: readonly AppointmentType[], typeId: string | undefined): AppointmentType {
  const found = typeId ? types.find((t) => t.id === typeId) : types.find((t) => t.isDefault);
  if (!found) throw notFound('Appointment type');
  return found;
}

/** The slot shape of a type, with the doctor's own settings filling in what the default type leaves open. */
export function slotShape(type: AppointmentType, doctorBufferMinutes: number): SlotShape {
  return {
    typeId: type.id,
    slotMinutes: type.durationMinutes ?? undefined,
    bufferMinutes: type.bufferMinutes ?? doctorBufferMinutes,
  };
}

/** The slot generator's settings for a slot shape. */
export function shapeInput(shape: SlotShape) {
  return {
    ...(shape.slotMinutes === undefined ? {} : { slotMinutes: shape.slotMinutes }),
    bufferMinutes: shape.bufferMinutes,
    trailingMinutes: shape.bufferMinutes,
  };
}
