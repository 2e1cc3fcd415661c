"use client";

import type { MatchDto } from "@/server/catalog/match-root";
import { lockReason, type BettingState, type CatalogState, type Move } from "@/app/lib/catalog-view";
import { Odds } from "./odds";

export type Market = MatchDto["markets"][number];
export type Selection = Market["selections"][number];

export type PricesProps = {
  match: MatchDto;
  market: Market;
  moves: CatalogState["moves"];
  betting: BettingState;
  canChoose: boolean;
  inSlip: Set<string>;
  onChoose: (match: MatchDto, selection: Selection, isLocked: boolean) => void;
};

/**
 * One market's live prices, each a button that adds it to the slip (locked while the market or match is not open),
 * on the catalog and on a match's page alike.
 */
export function MarketPrices({ match, market, moves, betting, canChoose, inSlip, onChoose }: PricesProps) {
  const locked = lockReason(match, market, betting);
  return (
    <ul className="prices" aria-label={`${market.name}: ${match.home} v ${match.away}`}>
      {market.selections.map((selection) => (
        <Price
          key={selection.id}
          selection={selection}
          move={moves.get(selection.id)?.move}
          locked={locked}
          isChosen={inSlip.has(selection.id)}
          onChoose={canChoose ? () => onChoose(match, selection, locked !== null) : null}
        />
      ))}
    </ul>
  );
}

function Price({
  selection,
  move,
  locked,
  isChosen,
  onChoose,
}: {
  selection: Selection;
  move: Move | undefined;
  locked: string | null;
  isChosen: boolean;
  onChoose: (() => void) | null;
}) {
  const content = (
    <>
      <span className="price-name">{selection.name}</span>{" "}
      <span className="price-odds" data-testid="odds">
        <Odds value={selection.odds} />
        {move && <span className="sr-only">{move === "up" ? " (up)" : " (down)"}</span>}
        {move && (
          <span aria-hidden="true" className="price-arrow">
            {move === "up" ? "▲" : "▼"}
          </span>
        )}
      </span>
      {locked && <span className="sr-only">, {locked.toLowerCase()}</span>}
    </>
  );
  const classes = ["price", move && `price-${move}`, isChosen && "price-chosen", locked && "price-locked"].filter(Boolean).join(" ");
  return (
    <li className={classes} data-selection-id={selection.id} data-move={move} data-locked={locked !== null}>
      {onChoose ? (
        <button
          type="button"
          className="price-button"
          aria-pressed={isChosen}
          aria-disabled={locked !== null && !isChosen}
          title={locked ?? undefined}
          onClick={onChoose}
        >
          {content}
        </button>
      ) : (
        content
      )}
    </li>
  );
}
