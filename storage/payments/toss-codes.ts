// Toss Payments' error codes: the HTTP status and message Toss documents for each (docs.tosspayments.com,
// "에러 코드" and "인증 및 기타 헤더 설정"), and what each means to the payments service. One table: the
// adapter reads the outcome, the simulated Toss (memory adapter, loopback fake) answers with the status
// and message.
//
// How a code maps:
// - unknown: Toss says to try again, or failed inside, so the charge or refund may or may not have
//   happened. Any 5xx is unknown whatever its code, and so is a code this table does not list with 409 or
//   429. FORBIDDEN_CONSECUTIVE_REQUEST is unknown too: this request was refused, but the earlier one it
//   repeats may have gone through.
// - already_processed: the payment or its order id was confirmed before. DUPLICATED_ORDER_ID counts:
//   Toss holds a payment for that order id, so the answer is to fetch it, not to give up.
// - not_found: no such payment, or no payment session (the widget's 10 minutes passed, or a wrong key).
// - rejected: everything else with a Toss body: definitive, nothing moved. Key and configuration errors
//   (UNAUTHORIZED_KEY, INVALID_API_KEY, INCORRECT_BASIC_AUTH_FORMAT) are rejected as well; they need an
//   operator, not a retry. A code this table does not list, below 500, is rejected.
// Toss has no code of its own for a confirm whose amount differs from the authorised one; the simulated
// Toss answers INVALID_REQUEST, which is rejected like any other refusal.
import type { Failure } from './ports.ts';

export type Outcome = Failure['kind'];

export interface TossCode {
  status: number;
  outcome: Outcome;
  message: string;
}

// code                                        status  outcome               message (Korean, as Toss sends it)
const TABLE: Array<[string, number, Outcome, string]> = [
  // payments: confirm
  ['ALREADY_PROCESSED_PAYMENT',                 400, 'already_processed',   '이미 처리된 결제 입니다.'],
  ['DUPLICATED_ORDER_ID',                       400, 'already_processed',   '이미 승인 및 취소가 진행된 중복된 주문번호 입니다. 다른 주문번호로 진행해주세요.'],
  ['PROVIDER_ERROR',                            400, 'unknown',             '일시적인 오류가 발생했습니다. 잠시 후 다시 시도해주세요.'],
  ['INVALID_REQUEST',                           400, 'rejected',            '잘못된 요청입니다.'],
  ['INVALID_API_KEY',                           400, 'rejected',            '잘못된 시크릿키 연동 정보 입니다.'],
  ['INVALID_REJECT_CARD',                       400, 'rejected',            '카드 사용이 거절되었습니다. 카드사 문의가 필요합니다.'],
  ['BELOW_MINIMUM_AMOUNT',                      400, 'rejected',            '신용카드는 결제금액이 100원 이상, 계좌는 200원이상부터 결제가 가능합니다.'],
  ['INVALID_CARD_EXPIRATION',                   400, 'rejected',            '카드 정보를 다시 확인해주세요. (유효기간)'],
  ['INVALID_STOPPED_CARD',                      400, 'rejected',            '정지된 카드 입니다.'],
  ['UNAUTHORIZED_KEY',                          401, 'rejected',            '인증되지 않은 시크릿 키 혹은 클라이언트 키 입니다.'],
  ['REJECT_ACCOUNT_PAYMENT',                    403, 'rejected',            '잔액부족으로 결제에 실패했습니다.'],
  ['REJECT_CARD_PAYMENT',                       403, 'rejected',            '한도초과 혹은 잔액부족으로 결제에 실패했습니다.'],
  ['REJECT_CARD_COMPANY',                       403, 'rejected',            '결제 승인이 거절되었습니다.'],
  ['FORBIDDEN_REQUEST',                         403, 'rejected',            '허용되지 않은 요청입니다.'],
  ['INCORRECT_BASIC_AUTH_FORMAT',               403, 'rejected',            "잘못된 요청입니다. ':' 를 포함해 인코딩해주세요."],
  ['NOT_FOUND_PAYMENT',                         404, 'not_found',           '존재하지 않는 결제 정보 입니다.'],
  ['NOT_FOUND_PAYMENT_SESSION',                 404, 'not_found',           '결제 시간이 만료되어 결제 진행 데이터가 존재하지 않습니다.'],
  ['FAILED_PAYMENT_INTERNAL_SYSTEM_PROCESSING', 500, 'unknown',             '결제가 완료되지 않았어요. 다시 시도해주세요.'],
  ['FAILED_INTERNAL_SYSTEM_PROCESSING',         500, 'unknown',             '내부 시스템 처리 작업이 실패했습니다. 잠시 후 다시 시도해주세요.'],
  ['UNKNOWN_PAYMENT_ERROR',                     500, 'unknown',             '결제에 실패했어요. 같은 문제가 반복된다면 은행이나 카드사로 문의해주세요.'],
  // payments: cancel
  ['ALREADY_CANCELED_PAYMENT',                  400, 'rejected',            '이미 취소된 결제 입니다.'],
  ['NOT_CANCELABLE_AMOUNT',                     403, 'rejected',            '취소 할 수 없는 금액 입니다.'],
  ['NOT_CANCELABLE_PAYMENT',                    403, 'rejected',            '취소 할 수 없는 결제 입니다.'],
  ['NOT_ALLOWED_PARTIAL_REFUND_WAITING_DEPOSIT', 403, 'rejected',           '입금 대기중인 결제는 부분 환불이 불가합니다.'],
  ['EXCEED_MAX_REFUND_DUE',                     403, 'rejected',            '환불 가능한 기간이 지났습니다.'],
  ['FORBIDDEN_CONSECUTIVE_REQUEST',             403, 'unknown',             '반복적인 요청은 허용되지 않습니다. 잠시 후 다시 시도해주세요.'],
  ['FAILED_REFUND_PROCESS',                     500, 'unknown',             '은행 응답시간 지연이나 일시적인 오류로 환불요청에 실패했습니다.'],
  ['COMMON_ERROR',                              500, 'unknown',             '일시적인 오류가 발생했습니다. 잠시 후 다시 시도해주세요.'],
  // payments: lookup
  ['NOT_FOUND',                                 404, 'not_found',           '존재하지 않는 정보 입니다.'],
  // transactions
  ['INVALID_TRANSACTION_KEY',                   400, 'rejected',            '잘못된 페이징 키 입니다.'],
  // idempotency (any POST)
  ['INVALID_IDEMPOTENCY_KEY',                   400, 'rejected',            '멱등키는 300자 이하여야 합니다.'],
  ['IDEMPOTENT_REQUEST_PROCESSING',             409, 'unknown',             '이전 멱등 요청이 처리중입니다.'],
];

export const TOSS_CODES: ReadonlyMap<string, TossCode> = new Map(
  TABLE.map(([code, status, outcome, message]) => [code, { status, outcome, message }]),
);

/** The outcome of a Toss error body `{code, message}` that came with an HTTP status. */
export function outcomeOf(status: number, code: string): Outcome {
  if (status >= 500) return 'unknown';
  const known = TOSS_CODES.get(code);
  if (known !== undefined) return known.outcome;
  return status === 409 || status === 429 ? 'unknown' : 'rejected';
}
