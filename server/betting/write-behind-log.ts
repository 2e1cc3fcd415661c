/** A bet as the acceptance script records it: "id|streamId|selectionId|matchId|stake|odds" (no float on the way). */
export type AcceptedBet = { id: string; streamId: string; selectionId: string; matchId: string; stake: number; odds: number };

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
local function logMarker(stream, matchId)
  return redis.call('XADD', stream, '*', 'type', 'marker', 'matchId', matchId)
end
local function acceptedBetRecord(betId, streamId, selectionId, matchId, stake, odds)
  return betId .. '|' .. streamId .. '|' .. selectionId .. '|' .. matchId .. '|' .. stake .. '|' .. odds
end
`;

export function decodeAcceptedBet(record: string): AcceptedBet {
  const [id, streamId, selectionId, matchId, stake, odds] = record.split("|");
  return { id: id!, streamId: streamId!, selectionId: selectionId!, matchId: matchId!, stake: Number(stake), odds: Number(odds) };
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

/** A bet as the acceptance script logged it. */
export type LoggedBet = {
  streamId: string;
  betId: string;
  userId: string;
  selectionId: string;
  matchId: string;
  stake: number;
  odds: number;
  idempotencyKey: string;
};

/** A match's completion marker, logged when betting on it closed in this partition. */
export type LoggedMarker = { streamId: string; matchId: string };

export function entryFields(fields: string[]): Record<string, string> {
  const f: Record<string, string> = {};
  for (let i = 0; i < fields.length; i += 2) f[fields[i]!] = fields[i + 1]!;
  return f;
}

/** The log's entries: bets, completion markers, and the ids of any entry of a type this code does not know. */
export function parseEntries(entries: StreamEntry[]): { bets: LoggedBet[]; markers: LoggedMarker[]; unreadable: string[] } {
  const bets: LoggedBet[] = [];
  const markers: LoggedMarker[] = [];
  const unreadable: string[] = [];
  for (const [streamId, fields] of entries) {
    const f = entryFields(fields);
    if (f.type === "bet") {
      bets.push({
        streamId,
        betId: f.betId!,
        userId: f.userId!,
        selectionId: f.selectionId!,
        matchId: f.matchId!,
        stake: Number(f.stake),
        odds: Number(f.odds),
        idempotencyKey: f.idempotencyKey!,
      });
    } else if (f.type === "marker") {
      markers.push({ streamId, matchId: f.matchId! });
    } else {
      unreadable.push(streamId);
    }
  }
  return { bets, markers, unreadable };
}
