import {
  type DecodedFrame,
  dataAck,
  dialectOf,
  type Message,
  type MessageInput,
  platformReply,
} from '@qingyuan/hj212';
import type { FrameVerdict } from '@qingyuan/store';
import type { Device } from './credentials.js';

// What a session decides about a frame before and after its device is known (pure: no I/O).

/** What became of one frame: its verdict, the code behind it, and what to answer once it is durable. */
export interface Judgement {
  readonly verdict: FrameVerdict;
  readonly errorCode: string | null;
  readonly message: Message | undefined;
  readonly device: Device | undefined;
  readonly replies: MessageInput[];
}

/** A frame refused with `verdict` and the code behind it (answered with `replies`, if any). */
export function refusal(
  message: Message | undefined,
  verdict: FrameVerdict,
  errorCode: string,
  replies: MessageInput[] = [],
): Judgement {
  return { verdict, errorCode, message, device: undefined, replies };
}

/** Why a frame is refused before its device is known (unreadable, bad CRC, no MN), or undefined. */
export function refusalOf(decoded: DecodedFrame): Judgement | undefined {
  const message = decoded.message;
  if (message === undefined)
    return refusal(undefined, 'malformed', decoded.errors[0]?.code ?? 'HJ212_E_PARSE');
  if (decoded.crc.variant === null) return refusal(message, 'crc_error', 'HJ212_E_CRC_MISMATCH');
  const fatal = decoded.errors.find((d) => d.code !== 'HJ212_E_CRC_MISMATCH');
  if (fatal !== undefined) return refusal(message, 'malformed', fatal.code);
  if (message.mn === undefined) return refusal(message, 'unknown_device', 'GATEWAY_E_UNKNOWN_DEVICE');
  return undefined;
}

/** Does the data logger expect an answer to this frame (an ack, or a notice reply)? */
export function wantsAnswer(message: Message): boolean {
  return message.ackRequested || message.cn === '1013';
}

/** The platform's answer to a trusted frame: 9014 / 9013, and a 9014 for an unknown CN that asks for one. */
export function answersFor(message: Message): MessageInput[] {
  const reply = platformReply(message);
  if (reply !== undefined) return [reply];
  if (message.ackRequested && message.body.type === 'unknown')
    return [dataAck(message, dialectOf(message.version))];
  return [];
}
