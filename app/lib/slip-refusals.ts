import { describeError, type ApiError } from "./browser-api";
import { formatMoney } from "./format";

// POST /api/bets's refusals in the bettor's words, every amount in their currency (the server's sentences carry bare
// numbers), for a single or an accumulator (whose refusals may name the leg: `selectionId`).

const amountDetail = (error: ApiError, name: string) => (typeof error[name] === "number" ? (error[name] as number) : null);

/**
 * The sentence after "Not placed: ". `legName` names an accumulator's leg from its selection id (for the refusals
 * that carry one), so the bettor knows which selection to take out.
 */
export function refusalText(error: ApiError, currency: string, legName?: (selectionId: string) => string | null): string {
  const money = (name: string) => {
    const value = amountDetail(error, name);
    return value === null ? null : formatMoney(value, currency);
  };
  const leg = legName && typeof error.selectionId === "string" ? legName(error.selectionId) : null;
  switch (error.code) {
    case "STAKE_TOO_LOW":
      return money("minStake") ? `the minimum stake is ${money("minStake")}.` : error.message;
    case "STAKE_TOO_HIGH":
      if (money("maxPayout") && money("maxStake"))
        return `the potential return may not exceed ${money("maxPayout")}; the most you can stake at these odds is ${money("maxStake")}.`;
      return money("maxStake") ? `the maximum stake is ${money("maxStake")}.` : error.message;
    case "INSUFFICIENT_FUNDS":
      return money("available")
        ? `your available balance (${money("available")}) is too low for this stake.`
        : "your available balance is too low for this stake.";
    case "MATCH_CLOSED":
      return leg ? `betting has closed on ${leg}. Remove it to place the others.` : error.message;
    case "MARKET_SUSPENDED":
      return leg ? `${leg}: ${error.message.toLowerCase()}` : error.message;
    case "BETTING_SUSPENDED":
      return error.message; // the server's sentence names the reason
    case "NOT_FOUND":
      return leg ? `${leg} is no longer offered. Remove it to place the others.` : "this selection no longer exists.";
    case "UNAUTHENTICATED":
      return "your session has ended.";
    case "RATE_LIMITED":
      return typeof error.retryAfterSeconds === "number"
        ? `too many bets in a short time. Try again in ${error.retryAfterSeconds} seconds.`
        : describeError(error);
    case "LIABILITY_LIMIT":
      return amountDetail(error, "maxStake")
        ? `this bet would take the house's liability over its limit; the most you can stake now is ${money("maxStake")}.`
        : "this bet would take the house's liability over its limit: no stake can be accepted on it now.";
    default:
      return money("maxStake") ? `${error.message} The most you can stake now is ${money("maxStake")}.` : describeError(error);
  }
}
