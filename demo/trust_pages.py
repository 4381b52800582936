"""The privacy statement and the accessibility statement of the demo site, in our own
words. They describe what this site does (what the newsletter and the portal store,
for how long, the cookies, the rate limits, the automated accessibility tests) and
the rights the law gives; nothing else about the ministry is assumed."""

POSTMOTTAK = '<a href="mailto:postmottak@kdd.dep.no">postmottak@kdd.dep.no</a>'


def _body(sections):
    """StreamField content from [(heading, html), ...]."""
    body = []
    for heading, html in sections:
        body.append(("heading", {"text": heading, "level": "h2"}))
        body.append(("paragraph", html))
    return body


def _privacy_body(retention_years):
    return _body(
        [
            (
                "Hvem som er ansvarlig",
                "<p>Kommunal- og distriktsdepartementet er behandlingsansvarlig for personopplysningene som "
                "samles inn på dette nettstedet om regional- og distriktspolitikk: i påmeldingen til "
                "nyhetsbrevet Regionalnytt og i søknadsportalen for bygdevekstavtaler.</p>"
                f"<p>Har du spørsmål om hvordan vi behandler opplysninger om deg, eller vil du bruke "
                f"rettighetene dine, kan du skrive til {POSTMOTTAK}.</p>",
            ),
            (
                "Når du leser nettstedet",
                "<p>Vi bruker ikke analyseverktøy eller annen sporing, og sidene henter ikke innhold fra "
                "andre nettsteder. Leser du bare, setter vi ingen informasjonskapsler (cookies).</p>"
                "<p>Bruker du et skjema, setter vi informasjonskapselen <i>csrftoken</i>, som beskytter "
                "skjemaet mot innsendinger som er forfalsket av andre nettsteder. Logger du inn i "
                "søknadsportalen, setter vi også <i>sessionid</i>, som holder deg innlogget, og "
                "<i>messages</i> kan holde en kort beskjed (for eksempel at svarene er lagret) til den er "
                "vist. Ingen av dem brukes til å følge deg.</p>"
                "<p>For å stoppe misbruk teller vi hvor mange ganger skjemaene sendes fra samme "
                "nettverksadresse (IP-adresse) og til samme e-postadresse. Vi lagrer bare en kontrollsum "
                "(hash) av adressen, ikke selve adressen, og tellingene slettes etter to døgn.</p>",
            ),
            (
                "Nyhetsbrevet Regionalnytt",
                "<p><b>Hva vi lagrer:</b> e-postadressen din, hvilke nyhetsbrev du er påmeldt, hvilken "
                "versjon av samtykketeksten du godtok, og når du meldte deg på, bekreftet og eventuelt "
                "meldte deg av. Vi registrerer også hvilke utgaver vi har sendt deg, slik at ingen får "
                "samme utgave to ganger.</p>"
                "<p><b>Hvorfor:</b> for å sende deg nyhetsbrevet du har bedt om. Grunnlaget er samtykket "
                "ditt (personvernforordningen artikkel 6 nr. 1 bokstav a). Du kan trekke samtykket "
                "tilbake når som helst ved å melde deg av med lenken nederst i hver utgave.</p>"
                "<p><b>Før du bekrefter:</b> Adressen kommer ikke på listen over abonnenter før du har "
                "åpnet bekreftelseslenken i e-posten vi sender deg. Fram til da ligger den bare i køen "
                "for utsending av den e-posten, og den slettes derfra rundt en time etter at e-posten er "
                "sendt.</p>"
                "<p><b>Hvor lenge:</b> så lenge du er påmeldt. Melder du deg av, stopper utsendingen med "
                "en gang. Adressen blir stående som avmeldt, slik at du kan melde deg på igjen, til du "
                "sletter den.</p>"
                "<p><b>Sletting:</b> Du kan slette adressen selv: velg «Endre abonnementet» nederst i en "
                "utgave av nyhetsbrevet og deretter «Slett adressen min». Du kan også be oss om å slette "
                "den. Når adressen slettes, sletter vi også abonnementene dine. Vi "
                "beholder bare en kontrollsum av adressen på en sperreliste, slik at du aldri får e-post "
                "fra oss igjen, og historikken over samtykkene dine uten adressen, slik at vi kan vise "
                "at vi hadde samtykke da vi sendte.</p>",
            ),
            (
                "Søknadsportalen for bygdevekstavtaler",
                "<p><b>Hva vi lagrer:</b> e-postadressen du logger inn med, kontaktpersonen for søknaden "
                "(navn, stilling, e-postadresse og telefonnummer), e-postadressene til kolleger du "
                "inviterer, og det du skriver og laster opp i søknaden. Vi lagrer også når søknaden ble "
                "opprettet, endret og sendt inn, og hvem som gjorde det. Søknaden skal handle om "
                "prosjektet og kommunene: ikke skriv eller last opp opplysninger om enkeltpersoner som "
                "ikke trengs for å vurdere den.</p>"
                "<p><b>Hvorfor:</b> for å ta imot og vurdere søknader om å bli pilotområde for "
                "bygdevekstavtaler og for å kontakte søkerne om søknaden. Grunnlaget er at behandlingen "
                "er nødvendig for å utføre en oppgave departementet har (personvernforordningen "
                "artikkel 6 nr. 1 bokstav e). Søknader som er sendt inn, er saksdokumenter, og det kan "
                "bli gitt innsyn i dem etter offentleglova.</p>"
                "<p><b>Innlogging:</b> Du logger inn med en lenke vi sender på e-post. Lenken virker i "
                "15 minutter og bare én gang, og vi lagrer bare en kontrollsum av den. Du er innlogget "
                "til du logger ut, og høyst i to uker.</p>"
                f"<p><b>Hvor lenge:</b> {retention_years} år etter søknadsfristen sletter vi utkast som "
                "aldri ble sendt inn, og vi anonymiserer søknadene som ble sendt inn: kontaktpersonen, "
                "invitasjonene, vedleggene, tidligere versjoner og interne notater slettes, og søknaden "
                "kobles fra brukerkontoen til den som søkte. Vi beholder det som trengs for statistikk "
                "og for å dokumentere vedtakene: referansenummer, kommuner, status, beløp og "
                "prosjektbeskrivelsen.</p>",
            ),
            (
                "Hvem som ser opplysningene",
                "<p>Opplysningene brukes bare til det som står over, av dem i departementet som arbeider "
                "med nyhetsbrevet eller med søknadene. Vi bruker dem ikke til markedsføring.</p>",
            ),
            (
                "Rettighetene dine",
                "<p>Du har rett til å</p>"
                "<ul>"
                "<li>få vite hvilke opplysninger vi har om deg, og få en kopi av dem</li>"
                "<li>få rettet opplysninger som er feil</li>"
                "<li>få slettet opplysninger vi ikke lenger har grunn til å ha</li>"
                "<li>be om at vi begrenser behandlingen, eller protestere mot den</li>"
                "<li>trekke tilbake samtykket til nyhetsbrevet når som helst</li>"
                "</ul>"
                f"<p>Skriv til {POSTMOTTAK}. Du skal få svar innen en måned.</p>"
                "<p>Mener du at vi behandler opplysninger om deg i strid med regelverket, kan du klage til "
                '<a href="https://www.datatilsynet.no/">Datatilsynet</a>.</p>',
            ),
        ]
    )


def _accessibility_body():
    return _body(
        [
            (
                "Hva erklæringen gjelder",
                "<p>Erklæringen gjelder nettstedet om regional- og distriktspolitikk fra Kommunal- og "
                "distriktsdepartementet, med nyhetsarkivet, dokumentene, påmeldingen til Regionalnytt "
                "og søknadsportalen for bygdevekstavtaler.</p>",
            ),
            (
                "Kravene",
                "<p>Offentlige nettsteder skal være universelt utformet etter likestillings- og "
                "diskrimineringsloven og forskrift om universell utforming av IKT-løsninger. Nettstedet "
                "er laget for å oppfylle suksesskriteriene i WCAG 2.1 på nivå A og AA.</p>",
            ),
            (
                "Slik sjekker vi nettstedet",
                "<p>Nettstedet har automatiske tester som åpner sidene i en nettleser og kontrollerer dem "
                "med verktøyet axe mot WCAG 2.1 nivå A og AA. Testene sjekker også at hovedmenyen kan "
                "brukes med tastaturet alene, og at sidene kan leses på en skjerm som er 320 piksler "
                "bred uten å rulle sideveis.</p>"
                "<p>Automatiske tester finner ikke alle problemer. Derfor vil vi gjerne høre fra deg om "
                "noe ikke virker.</p>",
            ),
            (
                "Det som ikke er på plass",
                "<p>Noen dokumenter er PDF-filer laget av andre, for eksempel utredninger og rapporter. "
                "De er ikke alltid universelt utformet. Trenger du et vedlegg i en annen form, bruker du "
                "lenken «Be om tilgjengelig versjon» ved vedlegget på dokumentsiden, eller skriver "
                "til oss.</p>",
            ),
            (
                "Gi oss beskjed",
                "<p>Får du ikke brukt noe på nettstedet, eller har du funnet en feil? Skriv til "
                f"{POSTMOTTAK} eller ring 22 24 70 01. Fortell gjerne hvilken side det gjelder og hva du "
                "prøvde å gjøre.</p>",
            ),
            (
                "Tilsyn og klage",
                "<p>Tilsynet for universell utforming av IKT fører tilsyn med at nettsteder følger "
                "kravene. Får du ikke svar fra oss, eller er du ikke fornøyd med svaret, kan du melde "
                'fra til <a href="https://www.uutilsynet.no/">Tilsynet for universell utforming av '
                "IKT</a>.</p>",
            ),
        ]
    )


PRIVACY = {
    "ingress": (
        "Her forklarer vi hvilke personopplysninger vi samler inn på dette nettstedet, hvorfor vi gjør "
        "det, hvor lenge vi tar vare på dem og hvilke rettigheter du har."
    ),
    "body": _privacy_body,
}

ACCESSIBILITY = {
    "ingress": (
        "Vi vil at alle skal kunne bruke nettstedet, også med skjermleser, med tastaturet, med "
        "forstørrelse eller på en liten skjerm. Her står hvilke krav nettstedet skal oppfylle, hvordan "
        "vi sjekker det og hva som ikke er på plass ennå."
    ),
    "body": _accessibility_body,
}
