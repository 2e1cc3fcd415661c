/** One selection a bet backs, at the odds (hundredths) it was taken at. A single has one leg. */
export type BetLeg = { selectionId: string; matchId: string; odds: number };

/**
 * A bet as the acceptance script records it: "id|streamId|selectionId|matchId|stake|odds", and for an accumulator
 * "id|streamId|||stake|odds|legs" with its combined odds (no float on the way).
 */
export type AcceptedBet = {
  id: string;
  streamId: string;
  selectionId: string | null;
  matchId: string | null;
  stake: number;
  odds: number;
  legs: BetLeg[];
};

/**
 * The log's format on the Lua side, for every script that writes an entry or a record (acceptance, the close's
 * markers, the wallet rebuild): logBet and logMarker append the entries parseEntries reads, acceptedBetRecord
 * encodes what decodeAcceptedBet reads. One format, one place; write-behind-log.int.test.ts round-trips them.
 */
export const logFormatLua = `
local function logBet(stream, betId, userId, selectionId, matchId, stake, odds, idempotencyKey)
  return redis.call('XADD', stream, '*', 'type', 'bet', 'betId', betId, 'userId', userId, 'selectionId', selectionId,
    'matchId', matchId, 'stake', stake, 'odds', odds, 'idempotencyKey', idempotencyKey)
end
-- legs: "selectionId:matchId:odds;..." (encodeLegs); odds: the combined odds, rounded down.
local function logAccumulator(stream, betId, userId, legs, stake, odds, idempotencyKey)
  return redis.call('XADD', stream, '*', 'type', 'acca', 'betId', betId, 'userId', userId, 'legs', legs,
    'stake', stake, 'odds', odds, 'idempotencyKey', idempotencyKey)
end
-- A cash-out, after its bet in the bettor's partition: the flusher applies it in order (the bet is there first).
local function logCashOut(stream, betId, userId, amount)
  return redis.call('XADD', stream, '*', 'type', 'cashout', 'betId', betId, 'userId', userId, 'amount', amount)
end
local function logMarker(stream, matchId)
  return redis.call('XADD', stream, '*', 'type', 'marker', 'matchId', matchId)
end
local function acceptedBetRecord(betId, streamId, selectionId, matchId, stake, odds, legs)
  local record = betId .. '|' .. streamId .. '|' .. selectionId .. '|' .. matchId .. '|' .. stake .. '|' .. odds
  if legs then record = record .. '|' .. legs end
  return record
end
-- Whether an entry (its fields) reserves a stake: a single or an accumulator.
local function isBetEntry(f)
  return f.type == 'bet' or f.type == 'acca'
end
local function entryRecord(streamId, f)
  return acceptedBetRecord(f.betId, streamId, f.selectionId or '', f.matchId or '', f.stake, f.odds, f.legs)
end
`;

export function encodeLegs(legs: BetLeg[]): string {
  return legs.map((l) => `${l.selectionId}:${l.matchId}:${l.odds}`).join(";");
}

function decodeLegs(text: string): BetLeg[] {
  return text.split(";").map((leg) => {
    const [selectionId, matchId, odds] = leg.split(":");
    return { selectionId: selectionId!, matchId: matchId!, odds: Number(odds) };
  });
}

export function decodeAcceptedBet(record: string): AcceptedBet {
  const [id, streamId, selectionId, matchId, stake, odds, legs] = record.split("|");
  const single = { selectionId: selectionId!, matchId: matchId!, odds: Number(odds) };
  return {
    id: id!,
    streamId: streamId!,
    selectionId: legs ? null : single.selectionId,
    matchId: legs ? null : single.matchId,
    stake: Number(stake),
    odds: Number(odds),
    legs: legs ? decodeLegs(legs) : [single],
  };
}

/** When Redis accepted an entry: the millisecond part of its stream id. */
export function streamIdTime(streamId: string): Date {
  return new Date(Number(streamId.split("-")[0]));
}

/** A bet's reference, unique by construction: stream ids never repeat within a partition. */
export function betReference(partition: number, streamId: string): string {
  const [ms, seq] = streamId.split("-");
  return `B${partition}-${Number(ms).toString(36).toUpperCase()}-${seq}`;
}

/** Compares stream ids ("ms-seq") numerically. */
export function compareStreamIds(a: string, b: string): number {
  const [am, as] = a.split("-").map(BigInt);
  const [bm, bs] = b.split("-").map(BigInt);
  return am! === bm! ? Number(as! - bs!) : am! < bm! ? -1 : 1;
}

/** A raw stream entry: its id and its field/value list, as XREAD and XRANGE return it. */
export type StreamEntry = [id: string, fields: string[]];

/** A bet as the acceptance script logged it; an accumulator has no selection or match of its own, only legs. */
export type LoggedBet = {
  streamId: string;
  betId: string;
  userId: string;
  selectionId: string | null;
  matchId: string | null;
  stake: number;
  odds: number;
  idempotencyKey: string;
  legs: BetLeg[];
};

/** A cash-out, logged after its bet: the bet becomes CASHED_OUT with payout = amount. */
export type LoggedCashOut = { streamId: string; betId: string; userId: string; amount: number };

/** A match's completion marker, logged when betting on it closed in this partition. */
export type LoggedMarker = { streamId: string; matchId: string };

export function entryFields(fields: string[]): Record<string, string> {
  const f: Record<string, string> = {};
  for (let i = 0; i < fields.length; i += 2) f[fields[i]!] = fields[i + 1]!;
  return f;
}

/** The log's entries: bets (singles and accumulators), cash-outs, completion markers, and the ids of any entry of a type this code does not know. */
export function parseEntries(entries: StreamEntry[]): {
  bets: LoggedBet[];
  cashOuts: LoggedCashOut[];
  markers: LoggedMarker[];
  unreadable: string[];
} {
  const bets: LoggedBet[] = [];
  const cashOuts: LoggedCashOut[] = [];
  const markers: LoggedMarker[] = [];
  const unreadable: string[] = [];
  for (const [streamId, fields] of entries) {
    const f = entryFields(fields);
    if (f.type === "bet" || f.type === "acca") {
      const single = f.type === "bet" ? { selectionId: f.selectionId!, matchId: f.matchId!, odds: Number(f.odds) } : null;
      bets.push({
        streamId,
        betId: f.betId!,
        userId: f.userId!,
        selectionId: single?.selectionId ?? null,
        matchId: single?.matchId ?? null,
        stake: Number(f.stake),
        odds: Number(f.odds),
        idempotencyKey: f.idempotencyKey!,
        legs: single ? [single] : decodeLegs(f.legs!),
      });
    } else if (f.type === "cashout") {
      cashOuts.push({ streamId, betId: f.betId!, userId: f.userId!, amount: Number(f.amount) });
    } else if (f.type === "marker") {
      markers.push({ streamId, matchId: f.matchId! });
    } else {
      unreadable.push(streamId);
    }
  }
  return { bets, cashOuts, markers, unreadable };
}
