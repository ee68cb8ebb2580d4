#!/usr/bin/env python3
"""Writes a contact list as German Excel exports it (`;`, UTF-8 with BOM,
CRLF), with a fixed seed, so every run of the scale measurements imports the
same data: names, organisations, positions, emails, phones in several
formats, street, postcode, city, source, tags and a note.

    python3 src-tauri/scripts/scale_csv.py ROWS OUT.csv
"""

import random
import sys

FIRST = ("Anna Jürgen Jörg Günther Björn Sören Käthe Lena Hans Peter Thomas Michael Stefan Andreas "
         "Klaus Sabine Petra Monika Ursula Katrin Julia Sandra Markus Matthias Frank Wolfgang Uwe "
         "Dieter Heike Birgit Susanne Claudia Martina Tobias Florian Maximilian Lukas Leonie Marie "
         "Sophie Hannah Gisela Ingrid Renate Bärbel Jens Sven Kai Dirk Ralf Özlem Mehmet James John "
         "Robert William David Mary Patricia Jennifer Linda Elizabeth Emily Oliver Charlotte").split()
LAST = ("Müller Schmidt Schneider Fischer Weber Meyer Wagner Becker Schulz Hoffmann Schäfer Koch "
        "Bauer Richter Klein Wolf Schröder Neumann Schwarz Zimmermann Braun Krüger Hofmann Hartmann "
        "Lange Schmitt Werner Schmitz Krause Meier Lehmann Schmid Schulze Maier Köhler Herrmann König "
        "Walter Mayer Huber Kaiser Fuchs Peters Lang Scholz Möller Weiß Jung Hahn Schubert Vogel "
        "Friedrich Keller Günther Berger Winkler Roth Beck Lorenz Baumann Franke Albrecht Böhm Jäger "
        "Groß Smith Johnson Williams Brown Jones Miller Davis Wilson Taylor").split()
ORG = ("Nordlicht Alpen Rhein Elbe Hanse Spree Main Isar Bäckerei Kessel Hammer Löwen Adler Falken "
       "Sonnen Stern Atlas Phoenix Apex Northwind Contoso Fabrikam Brightside").split()
TRADE = ("Maschinenbau Logistik Software Metallbau Elektrotechnik Bau Druck Medien Consulting Handel "
         "Immobilien Versicherung Steuerberatung Autohaus Gastronomie Reisen Solar Holzbau Werkzeuge "
         "Kunststoff Pharma Textil Systems Engineering Foods Energy Feinkost").split()
FORM = ["GmbH", "AG", "GmbH & Co. KG", "KG", "e.K.", "OHG", "UG", "SE"]
CITIES = [("Berlin", "10"), ("Hamburg", "20"), ("München", "80"), ("Köln", "50"), ("Frankfurt am Main", "60"),
          ("Stuttgart", "70"), ("Düsseldorf", "40"), ("Leipzig", "04"), ("Würzburg", "97"), ("Nürnberg", "90"),
          ("Hannover", "30"), ("Bremen", "28"), ("Dresden", "01"), ("Münster", "48"), ("Freiburg", "79")]
STREETS = ["Hauptstraße", "Bahnhofstraße", "Gartenweg", "Schillerstraße", "Goethestraße", "Industriestraße",
           "Am Markt", "Lindenallee", "Mühlenweg", "Kirchplatz"]
TITLES = ["Geschäftsführerin", "Geschäftsführer", "Einkaufsleiterin", "Einkaufsleiter", "Head of Sales", "CTO",
          "Prokurist", "Teamleiterin IT", "Inhaber", "Vertriebsleiter", "Assistenz der Geschäftsleitung"]
SOURCES = ["Messe Hannover", "Website", "Empfehlung", "Kaltakquise", "Webinar", "LinkedIn", "Adresskauf"]
TAGS = ["VIP", "Newsletter", "Bestandskunde", "Messe", "Empfehlung", "Partner", "Key Account", "Kaltakquise"]
NOTES = ["Auf der Messe in Hannover kennengelernt, Interesse an Wartungsvertrag",
         "Rückruf erbeten, bevorzugt vormittags",
         "Budget für nächstes Quartal freigegeben",
         "Sucht Ersatz für bisherigen Lieferanten, Angebot bis Monatsende",
         "Kontakt über Empfehlung von Herrn Berger",
         "Entscheidung liegt bei der Geschäftsführung",
         "", "", ""]
MOBILE = ["0151", "0152", "0160", "0162", "0170", "0171", "0172", "0175", "0176", "0179"]


def slug(s):
    table = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "Ä": "ae", "Ö": "oe", "Ü": "ue"})
    return "".join(c for c in s.translate(table).lower() if c.isalnum())


def main():
    rows, out = int(sys.argv[1]), sys.argv[2]
    rng = random.Random(42)
    orgs = max(1, rows // 12)
    with open(out, "w", encoding="utf-8-sig", newline="") as f:
        f.write("Vorname;Nachname;Firma;Position;E-Mail;Telefon;Mobil;Straße;PLZ;Ort;Quelle;Schlagworte;Bemerkung\r\n")
        for i in range(rows):
            first, last = rng.choice(FIRST), rng.choice(LAST)
            k = rng.randrange(orgs)
            org = ""
            host = rng.choice(["gmail.com", "web.de", "gmx.de", "t-online.de", "outlook.com"])
            if rng.random() < 0.85:
                org = f"{ORG[k % len(ORG)]} {TRADE[(k // len(ORG)) % len(TRADE)]} {FORM[k % len(FORM)]}"
                if k >= len(ORG) * len(TRADE):
                    org = f"{org} {k // (len(ORG) * len(TRADE))}"
                host = f"{slug(ORG[k % len(ORG)])}-{slug(TRADE[(k // len(ORG)) % len(TRADE)])}{k}.de"
            local = rng.choice([f"{slug(first)}.{slug(last)}", f"{slug(first)[0]}.{slug(last)}{i % 100}",
                                f"{slug(last)}{i % 100}"])
            email = f"{local}@{host}"
            city, plz = rng.choice(CITIES)
            phone = ""
            if rng.random() < 0.6:
                phone = rng.choice([f"0{rng.randint(30, 999)} {rng.randint(100000, 9999999)}",
                                    f"+49 {rng.randint(30, 999)} {rng.randint(100000, 9999999)}",
                                    f"(0{rng.randint(30, 999)}) {rng.randint(1000, 99999)}-{rng.randint(10, 99)}"])
            mobile = f"{rng.choice(MOBILE)} {rng.randint(1000000, 9999999)}" if rng.random() < 0.7 else ""
            street = f"{rng.choice(STREETS)} {rng.randint(1, 120)}"
            postcode = f"{plz}{rng.randint(0, 999):03d}"
            title = rng.choice(TITLES) if rng.random() < 0.7 else ""
            tags = ",".join(sorted(set(rng.sample(TAGS, rng.randint(0, 2)))))
            note = rng.choice(NOTES)
            fields = [first, last, org, title, email, phone, mobile, street, postcode, city,
                      rng.choice(SOURCES), tags, note]
            f.write(";".join(fields) + "\r\n")


if __name__ == "__main__":
    main()
