// Demo catalog: two sports, four competitions, 24 upcoming matches with 1X2 prices (about a 5% margin).
// Kick-offs are offsets from the seed time, so a fresh demo always has upcoming matches; each competition has one
// within hours, so the catalog (soonest competition first) opens on these rather than on matches tests create a day ahead.
type Fixture = { home: string; away: string; inHours: number; odds: [home: string, draw: string, away: string] };

export const demoCatalog: { sport: string; competitions: { name: string; fixtures: Fixture[] }[] }[] = [
  {
    sport: "Football",
    competitions: [
      {
        name: "Premier League",
        fixtures: [
          { home: "Arsenal", away: "Chelsea", inHours: 4, odds: ["1.95", "3.60", "3.90"] },
          { home: "Liverpool", away: "Manchester United", inHours: 28, odds: ["1.62", "4.20", "5.00"] },
          { home: "Manchester City", away: "Tottenham Hotspur", inHours: 50, odds: ["1.45", "4.80", "6.50"] },
          { home: "Newcastle United", away: "Aston Villa", inHours: 52, odds: ["2.20", "3.40", "3.25"] },
          { home: "Brighton & Hove Albion", away: "West Ham United", inHours: 74, odds: ["2.05", "3.50", "3.55"] },
          { home: "Everton", away: "Fulham", inHours: 76, odds: ["2.60", "3.20", "2.80"] },
        ],
      },
      {
        name: "La Liga",
        fixtures: [
          { home: "Real Madrid", away: "Sevilla", inHours: 5, odds: ["1.40", "5.00", "7.50"] },
          { home: "FC Barcelona", away: "Valencia", inHours: 30, odds: ["1.35", "5.25", "8.00"] },
          { home: "Atlético Madrid", away: "Real Sociedad", inHours: 51, odds: ["1.80", "3.50", "4.60"] },
          { home: "Athletic Club", away: "Villarreal", inHours: 54, odds: ["2.10", "3.30", "3.50"] },
          { home: "Real Betis", away: "Girona", inHours: 75, odds: ["2.25", "3.40", "3.10"] },
          { home: "Celta Vigo", away: "Osasuna", inHours: 98, odds: ["2.30", "3.10", "3.20"] },
        ],
      },
    ],
  },
  {
    sport: "Ice Hockey",
    competitions: [
      {
        name: "NHL",
        fixtures: [
          { home: "Toronto Maple Leafs", away: "Boston Bruins", inHours: 6, odds: ["2.30", "4.10", "2.55"] },
          { home: "New York Rangers", away: "New Jersey Devils", inHours: 31, odds: ["2.40", "4.00", "2.45"] },
          { home: "Edmonton Oilers", away: "Calgary Flames", inHours: 53, odds: ["1.95", "4.20", "3.05"] },
          { home: "Colorado Avalanche", away: "Dallas Stars", inHours: 55, odds: ["2.20", "4.10", "2.70"] },
          { home: "Tampa Bay Lightning", away: "Florida Panthers", inHours: 77, odds: ["2.50", "4.00", "2.40"] },
          { home: "Vegas Golden Knights", away: "Los Angeles Kings", inHours: 79, odds: ["2.15", "4.10", "2.80"] },
        ],
      },
      {
        name: "Swedish Hockey League",
        fixtures: [
          { home: "Frölunda HC", away: "Färjestad BK", inHours: 3, odds: ["2.10", "4.00", "2.95"] },
          { home: "Skellefteå AIK", away: "Luleå HF", inHours: 49, odds: ["2.00", "4.10", "3.10"] },
          { home: "Djurgårdens IF", away: "Rögle BK", inHours: 73, odds: ["2.45", "3.90", "2.55"] },
          { home: "Växjö Lakers", away: "HV71", inHours: 97, odds: ["1.90", "4.20", "3.30"] },
          { home: "Linköping HC", away: "Leksands IF", inHours: 100, odds: ["2.35", "3.95", "2.65"] },
          { home: "Örebro HK", away: "Brynäs IF", inHours: 121, odds: ["2.60", "3.90", "2.35"] },
        ],
      },
    ],
  },
];

export const demoPassword = "password123";
export const demoStaff = ["staff@example.com"];
export const demoBettors = ["alice@example.com", "bob@example.com"];
// 1000.00 in minor units.
export const demoStartingBalance = 100_000;
