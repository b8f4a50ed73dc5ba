"""Every text a user sees, in English and German.

One entry per message, both languages side by side so that a change to one is seen next to the
other; placeholders use `str.format` names, and a test checks both languages name the same ones.
Slack mrkdwn is allowed; values are escaped by the caller.
"""

from __future__ import annotations

TEXTS: dict[str, dict[str, str]] = {
    # --- the summary of a logged contact -------------------------------------------------------
    "logged.title": {
        "en": ":white_check_mark: Logged your contact with *{partner}*.",
        "de": ":white_check_mark: Dein Kontakt mit *{partner}* ist erfasst.",
    },
    "logged.updated": {
        "en": ":pencil2: Updated your contact with *{partner}*.",
        "de": ":pencil2: Dein Kontakt mit *{partner}* ist geändert.",
    },
    "logged.fallback": {
        "en": "Logged: {medium} with {partner}, {when}.",
        "de": "Erfasst: {medium} mit {partner}, {when}.",
    },
    "logged.new_partner": {
        "en": ":new: *{partner}* is a new partner; Undo removes it again.",
        "de": ":new: *{partner}* ist neu angelegt; Rückgängig entfernt den Partner wieder.",
    },
    "logged.organisation_set": {
        "en": "Organisation of *{partner}* set to *{organisation}*.",
        "de": "Organisation von *{partner}* auf *{organisation}* gesetzt.",
    },
    "logged.did_you_mean": {
        "en": "Did you mean one of these partners?",
        "de": "Meintest du einen dieser Partner?",
    },
    "field.partner": {"en": "Partner", "de": "Partner"},
    "field.medium": {"en": "How", "de": "Wie"},
    "field.kind": {"en": "Kind", "de": "Art"},
    "field.direction": {"en": "Give and take", "de": "Geben und Nehmen"},
    "field.when": {"en": "When", "de": "Wann"},
    "field.note": {"en": "Note", "de": "Notiz"},
    "field.promise": {"en": "Promise", "de": "Zusage"},
    "field.their_promise": {"en": "They promised", "de": "Zusage des Partners"},
    "field.due": {"en": "Due", "de": "Fällig"},
    "promise.line": {
        "en": "{text}\n:date: due {due}",
        "de": "{text}\n:date: fällig {due}",
    },
    # A promise whose words said only when it is due ("bis Freitag", kept as "bis 2027-01-08"):
    # shown by these rather than as a date repeating the due day beside it.
    "promise.untitled": {"en": "a promise", "de": "eine Zusage"},
    "promise.untitled_start": {"en": "A promise", "de": "Eine Zusage"},
    "promise.line_untitled": {"en": ":date: due {due}", "de": ":date: fällig {due}"},
    "button.undo": {"en": "Undo", "de": "Rückgängig"},
    "button.edit": {"en": "Edit", "de": "Bearbeiten"},
    "medium.none": {"en": "not said", "de": "nicht angegeben"},
    "medium.call": {"en": "Call", "de": "Anruf"},
    "medium.video": {"en": "Video call", "de": "Videocall"},
    "medium.meeting": {"en": "Meeting", "de": "Treffen"},
    "medium.email": {"en": "E-mail", "de": "E-Mail"},
    "medium.message": {"en": "Message", "de": "Nachricht"},
    "medium.event": {"en": "Event", "de": "Veranstaltung"},
    "kind.contact": {"en": "Contact", "de": "Kontakt"},
    "kind.check-in": {"en": "Check-in", "de": "Check-in"},
    "kind.update": {"en": "Update", "de": "Update"},
    "kind.request": {"en": "Request", "de": "Anfrage"},
    "kind.problem": {"en": "Problem", "de": "Problem"},
    "kind.social": {"en": "Personal", "de": "Persönliches"},
    "direction.gave": {"en": "We gave", "de": "Wir haben gegeben"},
    "direction.received": {"en": "We received", "de": "Wir haben bekommen"},
    "direction.mutual": {"en": "Mutual", "de": "Gegenseitig"},
    "when.today": {"en": "today", "de": "heute"},
    "when.yesterday": {"en": "yesterday", "de": "gestern"},
    # --- after a button ---------------------------------------------------------------------------
    "undone": {
        "en": ":leftwards_arrow_with_hook: Undone: the contact with *{partner}* is removed.",
        "de": ":leftwards_arrow_with_hook: Rückgängig gemacht: der Kontakt mit *{partner}* "
        "ist entfernt.",
    },
    "undone.with_partner": {
        "en": ":leftwards_arrow_with_hook: Undone: the contact and the new partner *{partner}* "
        "are removed.",
        "de": ":leftwards_arrow_with_hook: Rückgängig gemacht: der Kontakt und der neue Partner "
        "*{partner}* sind entfernt.",
    },
    "undone.edit": {
        "en": ":leftwards_arrow_with_hook: Undone: the contact with *{partner}* is back as it was "
        "before the edit.",
        "de": ":leftwards_arrow_with_hook: Rückgängig gemacht: der Kontakt mit *{partner}* ist "
        "wieder so wie vor der Änderung.",
    },
    "undone.edit_partner": {
        "en": "The partner *{partner}* the edit had added is removed.",
        "de": "Der Partner *{partner}*, den die Änderung angelegt hatte, ist entfernt.",
    },
    "undo.edit_done": {
        "en": "That edit is no longer there to undo: it was undone already, or it is older than "
        "the last {kept} edits of a contact Rapport keeps; nothing changed.",
        "de": "Diese Änderung gibt es nicht mehr: sie wurde schon rückgängig gemacht, oder sie "
        "ist älter als die letzten {kept} Änderungen eines Kontakts, die Rapport aufbewahrt; "
        "nichts geändert.",
    },
    "undo.edit_partner_gone": {
        "en": "The partner this contact had before the edit is no longer there; nothing changed.",
        "de": "Den Partner, den dieser Kontakt vor der Änderung hatte, gibt es nicht mehr; nichts "
        "geändert.",
    },
    "undo.gone": {
        "en": "That contact is no longer there: it was undone already.",
        "de": "Diesen Kontakt gibt es nicht mehr: er wurde schon rückgängig gemacht.",
    },
    "undo.not_yours": {
        "en": "Only the person who logged this contact can change it.",
        "de": "Nur wer diesen Kontakt erfasst hat, kann ihn ändern.",
    },
    "moved": {
        "en": ":twisted_rightwards_arrows: Moved to *{partner}*; the new partner *{removed}* "
        "is removed.",
        "de": ":twisted_rightwards_arrows: Zu *{partner}* verschoben; der neue Partner "
        "*{removed}* ist entfernt.",
    },
    # --- problems with the input ------------------------------------------------------------------
    "problem.title": {
        "en": ":warning: I couldn't log that. {problem}",
        "de": ":warning: Das konnte ich nicht erfassen. {problem}",
    },
    "problem.example": {
        "en": "For example: `{example}`",
        "de": "Zum Beispiel: `{example}`",
    },
    "example.basic": {
        "en": "/logcontact Acme call discussed the Q3 roadmap",
        "de": "/logcontact Acme Anruf Q3-Planung besprochen",
    },
    "example.quoted": {
        "en": '/logcontact "Jens Ohlsen" (Nordwind GmbH) meeting yesterday',
        "de": '/logcontact "Jens Ohlsen" (Nordwind GmbH) Treffen gestern',
    },
    "example.promise": {
        "en": "/logcontact Acme email promise: send the revised quote by Friday",
        "de": "/logcontact Acme E-Mail Zusage: Angebot bis Freitag schicken",
    },
    "example.when": {
        "en": "/logcontact Acme call yesterday 14:30 talked about prices",
        "de": "/logcontact Acme Anruf gestern 14:30 über Preise gesprochen",
    },
    "problem.no_partner": {
        "en": 'Who was the contact with? Start with the partner: a name, a "quoted name" '
        "or an @mention of an external person.",
        "de": "Mit wem war der Kontakt? Beginne mit dem Partner: einem Namen, einem "
        '"Namen in Anführungszeichen" oder einer @-Erwähnung einer externen Person.',
    },
    "problem.note_too_long": {
        "en": "The note has {length} characters; at most {limit} fit. Shorten it, or put the "
        "details in a document and link it.",
        "de": "Die Notiz hat {length} Zeichen; höchstens {limit} passen. Kürze sie oder lege "
        "die Details in ein Dokument und verlinke es.",
    },
    "problem.promise_too_long": {
        "en": "The promise has {length} characters; at most {limit} fit. Say it in a sentence.",
        "de": "Die Zusage hat {length} Zeichen; höchstens {limit} passen. Fasse sie in einem Satz.",
    },
    "problem.command_too_long": {
        "en": "The text has {length} characters; a command holds at most {limit}. Shorten "
        "the note, or put the details in a document and link it.",
        "de": "Der Text hat {length} Zeichen; ein Befehl fasst höchstens {limit}. Kürze die "
        "Notiz oder lege die Details in ein Dokument und verlinke es.",
    },
    "problem.not_utf8": {
        "en": "This line is not UTF-8 text: byte {byte} at byte position {position} is not part "
        "of any character. Save the text as UTF-8 and try again.",
        "de": "Diese Zeile ist kein UTF-8-Text: Byte {byte} an Byte-Position {position} gehört "
        "zu keinem Zeichen. Speichere den Text als UTF-8 und versuche es noch einmal.",
    },
    "problem.address_as_name": {
        "en": "A web or mail address can't name a partner or an organisation (`{address}`), "
        "and a link's text may name another site than the one it leads to. Type the partner's "
        "name itself, without the link (in quotes if it has several words), and put the link "
        "in the note.",
        "de": "Eine Web- oder Mailadresse kann keinen Partner und keine Organisation benennen "
        "(`{address}`), und der Text eines Links kann eine andere Seite nennen als die, zu der "
        "er führt. Tippe den Namen des Partners selbst, ohne Link (in Anführungszeichen, wenn er "
        "mehrere Wörter hat), und schreib den Link in die Notiz.",
    },
    "problem.name_character": {
        "en": "A partner or organisation name has a character that can't be part of a name "
        "({char}, character {position} of the name): it is invisible and turns how the text "
        "around it reads, or leaves the name blank. Retype the name without it.",
        "de": "Ein Partner- oder Organisationsname enthält ein Zeichen, das nicht Teil eines "
        "Namens sein kann ({char}, Zeichen {position} des Namens): Es ist unsichtbar und dreht, "
        "wie der Text darum herum gelesen wird, oder lässt den Namen leer. Tippe den Namen ohne "
        "es neu.",
    },
    "problem.control_character": {
        "en": "Your text contains an invisible control character ({char}) at position "
        "{position}. Retype the text without it.",
        "de": "Dein Text enthält ein unsichtbares Steuerzeichen ({char}) an Position "
        "{position}. Tippe den Text ohne es neu.",
    },
    "problem.unclosed_quote": {
        "en": "A quoted name is missing its closing quote.",
        "de": "Bei einem Namen in Anführungszeichen fehlt das schließende Zeichen.",
    },
    "problem.bad_date": {
        "en": "I couldn't read “{phrase}” as a date. Use for example 2026-11-20, 20.11. or "
        "yesterday.",
        "de": "„{phrase}“ kann ich nicht als Datum lesen. Schreib zum Beispiel 20.11.2026, "
        "20.11. oder gestern.",
    },
    "problem.unread_date": {
        "en": "“{phrase}” looks like the day of the contact, but I couldn't read it as one. "
        "Write the day as, for example, 20.11., Nov 20 or last Monday; or put a colon before "
        "the note (call: …) to keep those words in it.",
        "de": "„{phrase}“ sieht nach dem Tag des Kontakts aus, aber ich kann es nicht als Tag "
        "lesen. Schreib den Tag zum Beispiel als 20.11., 20. November oder letzten Montag; oder "
        "setz einen Doppelpunkt vor die Notiz (Anruf: …), dann bleiben die Wörter darin.",
    },
    "problem.when_in_future": {
        "en": "That contact would be on {on}, which is in the future. Log contacts once they "
        "happened; for something you will do, use a promise.",
        "de": "Dieser Kontakt läge am {on}, also in der Zukunft. Erfasse Kontakte, wenn sie "
        "stattgefunden haben; für etwas, das du tun wirst, nimm eine Zusage.",
    },
    "problem.when_later_today": {
        "en": "That contact would be today at {at}, which is later than now. Log contacts once "
        "they happened; for something you will do, use a promise.",
        "de": "Dieser Kontakt läge heute um {at}, also später als jetzt. Erfasse Kontakte, wenn "
        "sie stattgefunden haben; für etwas, das du tun wirst, nimm eine Zusage.",
    },
    "problem.promise_empty": {
        "en": "The promise is empty: say what you promised after “promise:”.",
        "de": "Die Zusage ist leer: schreib nach „Zusage:“, was du zugesagt hast.",
    },
    "problem.two_promises": {
        "en": "One promise per contact: this line has a second one (after “{marker}”). Log it "
        "as a contact of its own, for example `/logcontact Acme call they promised: the specs "
        "by Friday`.",
        "de": "Eine Zusage je Kontakt: Diese Zeile hat eine zweite (nach „{marker}“). Erfasse sie "
        "als eigenen Kontakt, zum Beispiel `/logcontact Acme Anruf sie sagen zu: die Unterlagen "
        "bis Freitag`.",
    },
    "problem.promise_without_due": {
        "en": "I understood the promise “{promise}” but not when it is due. Add a date, like "
        "“by Friday”, “in 2 weeks”, “end of month” or 2026-12-01.",
        "de": "Die Zusage „{promise}“ habe ich verstanden, aber nicht, wann sie fällig ist. "
        "Ergänze ein Datum, etwa „bis Freitag“, „in 2 Wochen“, „Ende des Monats“ oder "
        "01.12.2026.",
    },
    "problem.promise_due_in_past": {
        "en": "I read “{phrase}” as {due}, which has passed. Give a due date from today on.",
        "de": "„{phrase}“ lese ich als {due}, und das ist vorbei. Gib ein Fälligkeitsdatum ab "
        "heute an.",
    },
    "problem.colleague": {
        "en": "<@{user}> is a colleague in this workspace, not an external partner. Rapport "
        "keeps track of people outside your company.",
        "de": "<@{user}> ist eine Kollegin oder ein Kollege in diesem Workspace, kein externer "
        "Partner. Rapport begleitet Kontakte zu Menschen außerhalb deiner Firma.",
    },
    "problem.unknown_user": {
        "en": "I couldn't find <@{user}> in Slack. Check the mention, or type the partner's "
        "name instead.",
        "de": "<@{user}> finde ich in Slack nicht. Prüfe die Erwähnung oder schreib den Namen "
        "des Partners.",
    },
    "problem.bot_user": {
        "en": "<@{user}> is an app, not a person. Log contacts with people.",
        "de": "<@{user}> ist eine App, keine Person. Erfasse Kontakte mit Menschen.",
    },
    "problem.ambiguous_partner": {
        "en": "Several partners are called “{name}”: {choices}. Add the organisation in "
        "parentheses to say which.",
        "de": "Mehrere Partner heißen „{name}“: {choices}. Ergänze die Organisation in "
        "Klammern, um einen zu wählen.",
    },
    "problem.choices_more": {
        "en": "{choices} and {more} more",
        "de": "{choices} und {more} weitere",
    },
    "problem.name_taken": {
        "en": "A partner called “{name}” is already in Rapport, without a Slack account, and "
        "may be someone else. To log with that partner, type the name instead of "
        "mentioning <@{user}>; if <@{user}> is another person, add their organisation in "
        "parentheses after the mention.",
        "de": "Ein Partner namens „{name}“ ist schon in Rapport, ohne Slack-Konto, und ist "
        "vielleicht jemand anderes. Um für diesen Partner zu erfassen, schreib den Namen statt "
        "<@{user}> zu erwähnen; ist <@{user}> eine andere Person, ergänze nach der Erwähnung "
        "die Organisation in Klammern.",
    },
    "problem.name_too_long": {
        "en": "A partner or organisation name has {length} characters; at most {limit} fit.",
        "de": "Ein Partner- oder Organisationsname hat {length} Zeichen; höchstens {limit} passen.",
    },
    "problem.database": {
        "en": ":warning: I couldn't save that: the database did not answer. Nothing was saved; "
        "please try again in a moment.",
        "de": ":warning: Das konnte ich nicht speichern: die Datenbank hat nicht geantwortet. "
        "Es wurde nichts gespeichert; bitte versuch es gleich noch einmal.",
    },
    "problem.too_slow": {
        "en": ":warning: That took too long, so I stopped. Nothing was saved; please try again "
        "in a minute.",
        "de": ":warning: Das hat zu lange gedauert, also habe ich abgebrochen. Es wurde nichts "
        "gespeichert; bitte versuch es in einer Minute noch einmal.",
    },
    "problem.saved_but_slow": {
        "en": ":white_check_mark: Saved. The rest of my answer took too long, so you may not "
        "see the usual confirmation; there is no need to do it again.",
        "de": ":white_check_mark: Gespeichert. Der Rest meiner Antwort hat zu lange gedauert, "
        "deshalb fehlt vielleicht die übliche Bestätigung; du musst es nicht noch einmal machen.",
    },
    "problem.outcome_unknown": {
        "en": ":warning: The database did not confirm in time, so I cannot tell whether this "
        "was saved. If you do it again and it turns out twice, *Undo* on the second "
        "confirmation takes it back.",
        "de": ":warning: Die Datenbank hat nicht rechtzeitig bestätigt, deshalb weiß ich nicht, "
        "ob es gespeichert wurde. Wenn du es noch einmal machst und es doppelt ist, nimmt "
        "*Rückgängig* in der zweiten Bestätigung es zurück.",
    },
    "problem.slack": {
        "en": ":warning: Slack did not answer my question about <@{user}> ({error}). Nothing "
        "was saved; please try again in a minute.",
        "de": ":warning: Slack hat meine Frage zu <@{user}> nicht beantwortet ({error}). Es "
        "wurde nichts gespeichert; bitte versuch es in einer Minute noch einmal.",
    },
    "problem.form_not_opened": {
        "en": ":warning: Slack did not let me open the form, usually because it took too long. "
        "Nothing was saved; please try again.",
        "de": ":warning: Slack hat mich das Formular nicht öffnen lassen, meist weil es zu lange "
        "gedauert hat. Es wurde nichts gespeichert; bitte versuch es noch einmal.",
    },
    "problem.unexpected": {
        "en": ":warning: Something went wrong on our side and nothing was saved. Please try "
        "again; if it keeps happening, tell your Rapport admin.",
        "de": ":warning: Bei uns ist etwas schiefgegangen, und es wurde nichts gespeichert. "
        "Bitte versuch es noch einmal; wenn es wieder passiert, sag deinem Rapport-Admin "
        "Bescheid.",
    },
    # --- who may use Rapport ---------------------------------------------------------------------
    "access.refused": {
        "en": ":no_entry: Rapport is for this company's own members: its partner notes are not "
        "shared with workspace guests or with people from other organisations. Nothing was "
        "read or changed. If you think you should have access, ask a Slack workspace admin.",
        "de": ":no_entry: Rapport ist den eigenen Mitgliedern dieser Firma vorbehalten: Gäste "
        "im Workspace und Personen aus anderen Organisationen sehen keine Partnernotizen. Es "
        "wurde nichts gelesen oder geändert. Wenn du Zugang haben solltest, frag jemanden mit "
        "Admin-Rechten im Slack-Workspace.",
    },
    # --- questions: what could be read more than one way ---------------------------------------
    "question.new_partner": {
        "en": ":thinking_face: *{phrase}* is not one of your partners yet, and the rest of the "
        "line says nothing about the contact. Log a contact with a new partner called "
        "*{phrase}*?",
        "de": ":thinking_face: *{phrase}* ist noch keiner deiner Partner, und der Rest der Zeile "
        "sagt nichts über den Kontakt. Einen Kontakt mit einem neuen Partner namens *{phrase}* "
        "erfassen?",
    },
    "question.command_word": {
        "en": ":thinking_face: *{phrase}* is one of Rapport's own words, not a partner yet. Did "
        "you mean a command? `/logcontact help` lists them. Or log a contact with a new partner "
        "called *{phrase}*?",
        "de": ":thinking_face: *{phrase}* ist eines von Rapports eigenen Wörtern und noch kein "
        "Partner. Meintest du einen Befehl? `/logcontact hilfe` zeigt sie. Oder einen Kontakt "
        "mit einem neuen Partner namens *{phrase}* erfassen?",
    },
    "question.when": {
        "en": ":thinking_face: *{phrase}* could mean more than one day. Which day was the contact?",
        "de": ":thinking_face: *{phrase}* kann mehr als einen Tag meinen. An welchem Tag war der "
        "Kontakt?",
    },
    "question.when_earlier": {
        "en": ":thinking_face: *{phrase}* is still ahead, and a contact is logged once it has "
        "happened. Did you mean the one before, {day}?",
        "de": ":thinking_face: *{phrase}* liegt noch vor uns, und ein Kontakt wird erfasst, wenn "
        "er stattgefunden hat. Meintest du den davor, {day}?",
    },
    "question.when_later_today": {
        "en": ":thinking_face: *{phrase}* could be today, but the time typed is still ahead, and "
        "a contact is logged once it has happened. Did you mean {day}? Nothing is logged until "
        "you choose.",
        "de": ":thinking_face: *{phrase}* kann heute sein, aber die angegebene Uhrzeit liegt noch "
        "vor uns, und ein Kontakt wird erfasst, wenn er stattgefunden hat. Meintest du {day}? "
        "Erfasst wird erst, wenn du wählst.",
    },
    "question.when_one_left": {
        "en": ":thinking_face: *{phrase}* could mean more than one day, but on any other day "
        "than {day} the contact could not be logged. Did you mean {day}? Nothing is logged "
        "until you choose.",
        "de": ":thinking_face: *{phrase}* kann mehr als einen Tag meinen, aber an einem anderen "
        "Tag als {day} ließe sich der Kontakt nicht erfassen. Meintest du {day}? Erfasst wird "
        "erst, wenn du wählst.",
    },
    "question.when_few_days": {
        "en": ":thinking_face: *{phrase}* names no day. Which day was the contact? Nothing is "
        "logged until you choose.",
        "de": ":thinking_face: *{phrase}* nennt keinen Tag. An welchem Tag war der Kontakt? "
        "Erfasst wird erst, wenn du wählst.",
    },
    # Said so when the question offers more than one known partner, `_one` when it offers one.
    "question.similar_partner": {
        "en": ":thinking_face: *{phrase}* is not one of your partners yet, but some have a name "
        "like it. Did you mean one of them, or is it a new partner?",
        "de": ":thinking_face: *{phrase}* ist noch keiner deiner Partner, aber einige heißen "
        "ähnlich. Meintest du einen davon, oder ist es ein neuer Partner?",
    },
    "question.similar_partner_one": {
        "en": ":thinking_face: *{phrase}* is not one of your partners yet, but one has a name "
        "like it. Did you mean that one, or is it a new partner?",
        "de": ":thinking_face: *{phrase}* ist noch keiner deiner Partner, aber einer heißt "
        "ähnlich. Meintest du diesen, oder ist es ein neuer Partner?",
    },
    "question.known_then_more": {
        "en": ":thinking_face: *{phrase}* is not one of your partners yet, but its first words "
        "name one. Was the contact with that partner, with the rest as the note, or with a new "
        "partner called *{phrase}*?",
        "de": ":thinking_face: *{phrase}* ist noch keiner deiner Partner, aber die ersten Wörter "
        "nennen einen. War der Kontakt mit diesem Partner, und der Rest ist die Notiz, oder mit "
        "einem neuen Partner namens *{phrase}*?",
    },
    "question.multi_word": {
        "en": ":thinking_face: *{phrase}* is not one of your partners yet. Is the new partner "
        "called *{phrase}*, or only its first word, with the rest as the note?",
        "de": ":thinking_face: *{phrase}* ist noch keiner deiner Partner. Heißt der neue Partner "
        "*{phrase}*, oder nur wie das erste Wort, und der Rest ist die Notiz?",
    },
    "question.several_partners": {
        "en": ":thinking_face: Several partners are called *{phrase}*. Which one was the contact "
        "with? Nothing is logged until you choose.",
        "de": ":thinking_face: Mehrere Partner heißen *{phrase}*. Mit welchem war der Kontakt? "
        "Erfasst wird erst, wenn du wählst.",
    },
    "question.existing_partner": {
        "en": "{name}",
        "de": "{name}",
    },
    "question.name_or_day": {
        "en": ":thinking_face: *{phrase}* could say when the contact was, or its first word could "
        "be the end of a partner's name. Which partner was the contact with? Nothing is logged "
        "until you choose.",
        "de": ":thinking_face: *{phrase}* kann sagen, wann der Kontakt war, oder das erste Wort "
        "gehört zum Namen eines Partners. Mit welchem Partner war der Kontakt? Erfasst wird erst, "
        "wenn du wählst.",
    },
    "question.name_or_note": {
        "en": ":thinking_face: *{phrase}* could be part of the note, or its number could be the "
        "end of a partner's name. Which partner was the contact with? Nothing is logged until "
        "you choose.",
        "de": ":thinking_face: *{phrase}* kann zur Notiz gehören, oder die Zahl gehört zum Namen "
        "eines Partners. Mit welchem Partner war der Kontakt? Erfasst wird erst, wenn du wählst.",
    },
    "question.partner_on_day": {
        "en": "{name}, {when}",
        "de": "{name}, {when}",
    },
    "question.due_weekday_date": {
        "en": ":thinking_face: In *{phrase}* the weekday and the date do not agree. Which day "
        "is the promise due? Nothing is logged until you choose.",
        "de": ":thinking_face: In *{phrase}* passen Wochentag und Datum nicht zusammen. An "
        "welchem Tag ist die Zusage fällig? Erfasst wird erst, wenn du wählst.",
    },
    "question.due_two_days": {
        "en": ":thinking_face: *{phrase}* names more than one day, and I can't tell which one "
        "the promise is due. Which is it? Nothing is logged until you choose.",
        "de": ":thinking_face: *{phrase}* nennt mehr als einen Tag, und ich weiß nicht, an "
        "welchem die Zusage fällig ist. Welcher ist es? Erfasst wird erst, wenn du wählst.",
    },
    "question.due_month_first": {
        "en": ":thinking_face: *{phrase}* is a date both ways round, day first or month first. "
        "Which day is the promise due? Nothing is logged until you choose.",
        "de": ":thinking_face: *{phrase}* ist in beiden Reihenfolgen ein Datum, Tag zuerst oder "
        "Monat zuerst. An welchem Tag ist die Zusage fällig? Erfasst wird erst, wenn du wählst.",
    },
    "question.due_next_weekday": {
        "en": ":thinking_face: *{phrase}*: this week's, or the one in next week? Nothing is "
        "logged until you choose.",
        "de": ":thinking_face: *{phrase}*: der in dieser Woche oder der in der nächsten Woche? "
        "Erfasst wird erst, wenn du wählst.",
    },
    "question.due_weekday_today": {
        "en": ":thinking_face: *{phrase}* is today. Is the promise due today, or a week from "
        "today? Nothing is logged until you choose.",
        "de": ":thinking_face: *{phrase}* ist heute. Ist die Zusage heute fällig oder in einer "
        "Woche? Erfasst wird erst, wenn du wählst.",
    },
    "question.due_week_offset": {
        "en": ":thinking_face: *{phrase}* can be counted two ways. Which day is the promise due? "
        "Nothing is logged until you choose.",
        "de": ":thinking_face: *{phrase}* lässt sich auf zwei Arten zählen. An welchem Tag ist "
        "die Zusage fällig? Erfasst wird erst, wenn du wählst.",
    },
    "question.due_asap": {
        "en": ":stopwatch: *{phrase}* names no day. When should I remind you? Nothing is logged "
        "until you choose.",
        "de": ":stopwatch: *{phrase}* nennt keinen Tag. Wann soll ich dich erinnern? Erfasst "
        "wird erst, wenn du wählst.",
    },
    "question.due_few_days": {
        "en": ":thinking_face: *{phrase}* names no day. By which day is the promise due? "
        "Nothing is logged until you choose.",
        "de": ":thinking_face: *{phrase}* nennt keinen Tag. Bis zu welchem Tag gilt die Zusage? "
        "Erfasst wird erst, wenn du wählst.",
    },
    "question.due_one_left": {
        "en": ":thinking_face: *{phrase}* could mean more than one day, but due on any other day "
        "than {day} the promise could not be logged. Is it due {day}? Nothing is logged until "
        "you choose.",
        "de": ":thinking_face: *{phrase}* kann mehr als einen Tag meinen, aber mit einem anderen "
        "Fälligkeitstag als {day} ließe sich die Zusage nicht erfassen. Ist sie am {day} fällig? "
        "Erfasst wird erst, wenn du wählst.",
    },
    "question.create_partner": {
        "en": "New partner {name}",
        "de": "Neuer Partner {name}",
    },
    "question.cancel": {"en": "Cancel", "de": "Abbrechen"},
    "question.cancelled": {
        "en": ":ok_hand: Nothing was logged.",
        "de": ":ok_hand: Es wurde nichts erfasst.",
    },
    "question.expired": {
        "en": ":hourglass: That question was answered already or is more than an hour old, so "
        "I no longer have the text. This press logged nothing; if nothing was logged before, "
        "please send the command again.",
        "de": ":hourglass: Diese Frage ist schon beantwortet oder älter als eine Stunde, deshalb "
        "habe ich den Text nicht mehr. Dieser Klick hat nichts erfasst; wenn vorher nichts "
        "erfasst wurde, schick den Befehl bitte noch einmal.",
    },
    # --- contact limits: over-contact and one-sided relationships ---
    "contact_load.line": {
        "en": ":seedling: That's {count} contacts we started with {partner} in {days} days: "
        "this one, {others}. Quality over quantity: maybe bundle the next one.",
        "de": ":seedling: Das sind {count} Kontakte mit {partner}, die wir in {days} Tagen "
        "begonnen haben: dieser, {others}. Qualität vor Quantität: vielleicht beim nächsten "
        "Mal mehreres bündeln.",
    },
    "contact_load.by": {"en": "{medium} by {who} {day}", "de": "{medium} von {who} {day}"},
    "contact_load.you": {"en": "you", "de": "dir"},
    "contact_load.more_one": {"en": "{count} more", "de": "{count} weiterer"},
    "contact_load.more": {"en": "{count} more", "de": "{count} weitere"},
    "contact_load.medium.none": {"en": "a contact", "de": "ein Kontakt"},
    "contact_load.medium.call": {"en": "a call", "de": "ein Anruf"},
    "contact_load.medium.video": {"en": "a video call", "de": "ein Videocall"},
    "contact_load.medium.meeting": {"en": "a meeting", "de": "ein Treffen"},
    "contact_load.medium.email": {"en": "an e-mail", "de": "eine E-Mail"},
    "contact_load.medium.message": {"en": "a message", "de": "eine Nachricht"},
    "contact_load.medium.event": {"en": "an event", "de": "eine Veranstaltung"},
    "contact_load.day.today": {"en": "today", "de": "heute"},
    "contact_load.day.yesterday": {"en": "yesterday", "de": "gestern"},
    "contact_load.day.on": {"en": "on {day}", "de": "am {day}"},
    "card.field.contact_load": {
        "en": "Contacts we started, {days} days",
        "de": "Von uns begonnen, {days} Tage",
    },
    "card.contact_load": {
        "en": "{count} (from {threshold}, Rapport notes that it is a lot when you log one)",
        "de": "{count} (ab {threshold} sagt Rapport beim Erfassen, dass es viele sind)",
    },
    "card.contact_load_off": {
        "en": "{count} (Rapport never notes that it is a lot)",
        "de": "{count} (nie ein Hinweis, dass es viele sind)",
    },
    "profile.problem.bad_max_contacts": {
        "en": "I couldn't read “{value}” as a contact limit: give a number from {min} to {max}, "
        "`off` for no note, or `clear` for the default ({default}).",
        "de": "„{value}“ kann ich nicht als Kontaktgrenze lesen: gib eine Zahl von {min} bis "
        "{max} an, `aus` für keinen Hinweis oder `löschen` für den Standard ({default}).",
    },
    "profile.problem.max_contacts_too_small": {
        "en": "{value} is too small for a contact limit: {min} to {max}, `off` for no note, or "
        "`clear` for the default ({default}).",
        "de": "{value} ist zu klein für eine Kontaktgrenze: {min} bis {max}, `aus` für keinen "
        "Hinweis oder `löschen` für den Standard ({default}).",
    },
    "profile.problem.max_contacts_too_large": {
        "en": "{value} is too large for a contact limit: {min} to {max}, `off` for no note, or "
        "`clear` for the default ({default}).",
        "de": "{value} ist zu groß für eine Kontaktgrenze: {min} bis {max}, `aus` für keinen "
        "Hinweis oder `löschen` für den Standard ({default}).",
    },
    "profile.modal.max_contacts": {
        "en": "Contact hint from … contacts we started in 14 days",
        "de": "Kontakthinweis ab … von uns begonnenen Kontakten in 14 Tagen",
    },
    "profile.modal.max_contacts_hint": {
        "en": "{min} to {max}, or off; empty: {default}.",
        "de": "{min} bis {max} oder aus; leer: {default}.",
    },
    "profile.modal.max_contacts_off": {"en": "off", "de": "aus"},
    "nudge.one_sided.gave": {
        "en": ":left_right_arrow: {partner}: we gave {count} times in a row in the last {days} "
        "days and received nothing. Time to ask for something in return?",
        "de": ":left_right_arrow: {partner}: Wir haben in den letzten {days} Tagen {count}-mal "
        "in Folge gegeben und nichts bekommen. Zeit, im Gegenzug um etwas zu bitten?",
    },
    "nudge.one_sided.received": {
        "en": ":left_right_arrow: {partner}: we received {count} times in a row in the last "
        "{days} days and gave nothing back. Ask what they need?",
        "de": ":left_right_arrow: {partner}: Wir haben in den letzten {days} Tagen {count}-mal "
        "in Folge bekommen und nichts zurückgegeben. Fragen, was sie brauchen?",
    },
    # --- after-hours hints in shared channels ---
    "hints.title": {
        "en": ":crescent_moon: *Just so you know:* your message here reached {count} outside "
        "their business hours.",
        "de": ":crescent_moon: *Nur zur Info:* Deine Nachricht hier hat {count} außerhalb "
        "der Geschäftszeiten erreicht.",
    },
    "hints.people.one": {"en": "someone", "de": "jemanden"},
    "hints.people.many": {"en": "{count} people", "de": "{count} Personen"},
    "hints.person": {
        "en": "• {person}: {when} their time ({tz})",
        "de": "• {person}: {when} Ortszeit ({tz})",
    },
    "hints.holiday": {
        "en": ", public holiday: {name}",
        "de": ", Feiertag: {name}",
    },
    "hints.more": {
        "en": "• and {count} more",
        "de": "• und {count} weitere",
    },
    "hints.why.all": {"en": "Why: {reasons}.", "de": "Warum: {reasons}."},
    "hints.why.others": {
        "en": "Why those you did not mention: {reasons}.",
        "de": "Warum auch die, die du nicht erwähnt hast: {reasons}.",
    },
    "hints.why.called": {
        "en": "your message said @{word}",
        "de": "deine Nachricht enthielt @{word}",
    },
    "hints.why.small": {
        "en": "this channel is small ({count} members), so everyone in it sees each message",
        "de": "dieser Channel ist klein ({count} Mitglieder), also sieht jeder darin jede "
        "Nachricht",
    },
    "hints.why.broadcast": {
        "en": "your thread reply was sent to the channel too",
        "de": "deine Thread-Antwort ging auch an den Channel",
    },
    "hints.schedule": {
        "en": "Next time, click the arrow next to the send button and pick a later time (on "
        "mobile, press and hold the send button), so the message arrives in their business "
        "hours.",
        "de": "Nächstes Mal: Klicke auf den Pfeil neben dem Senden-Knopf und wähle eine spätere "
        "Zeit (am Handy: den Senden-Knopf gedrückt halten), damit die Nachricht in ihren "
        "Geschäftszeiten ankommt.",
    },
    "hints.private": {
        "en": "Only you see this, and at most once a day per channel.",
        "de": "Das siehst nur du, und höchstens einmal am Tag pro Channel.",
    },
    "hints.button.mute_channel": {
        "en": "Mute in this channel",
        "de": "In diesem Channel aus",
    },
    "hints.button.mute_everywhere": {"en": "Mute everywhere", "de": "Überall aus"},
    "hints.muted.channel": {
        "en": ":white_check_mark: No more after-hours hints in <#{channel}>.",
        "de": ":white_check_mark: Keine Geschäftszeiten-Hinweise mehr in <#{channel}>.",
    },
    "hints.muted.everywhere": {
        "en": ":white_check_mark: After-hours hints are off now, in every channel.",
        "de": ":white_check_mark: Geschäftszeiten-Hinweise sind jetzt aus, in allen Channels.",
    },
    "hints.unmuted.channel": {
        "en": ":bell: After-hours hints are on again in <#{channel}>.",
        "de": ":bell: Geschäftszeiten-Hinweise sind in <#{channel}> wieder an.",
    },
    "hints.unmuted.everywhere": {
        "en": ":bell: After-hours hints are on again.",
        "de": ":bell: Geschäftszeiten-Hinweise sind wieder an.",
    },
    "hints.unmuted.everywhere_but": {
        "en": ":bell: After-hours hints are on again, except in {channels} (muted on their own).",
        "de": ":bell: Geschäftszeiten-Hinweise sind wieder an, außer in {channels} (dort "
        "einzeln stummgeschaltet).",
    },
    "hints.muted.how": {
        "en": "`{example}` turns them on again.",
        "de": "`{example}` schaltet sie wieder ein.",
    },
    "settings.hints.on": {
        "en": "After-hours hints in shared channels: on.",
        "de": "Geschäftszeiten-Hinweise in geteilten Channels: an.",
    },
    "settings.hints.off": {
        "en": "After-hours hints in shared channels: off everywhere.",
        "de": "Geschäftszeiten-Hinweise in geteilten Channels: überall aus.",
    },
    "settings.hints.muted": {
        "en": "After-hours hints in shared channels: on, except in {channels}.",
        "de": "Geschäftszeiten-Hinweise in geteilten Channels: an, außer in {channels}.",
    },
    "settings.hints.muted_more": {"en": "{count} more channels", "de": "{count} weiteren Channels"},
    "settings.hints.how": {
        "en": "After-hours hints: `{on_example}` (everywhere again), `{off_example}`.",
        "de": "Geschäftszeiten-Hinweise: `{on_example}` (überall wieder an), `{off_example}`.",
    },
    "settings.example_hints_on": {
        "en": "/rapport settings hints on",
        "de": "/rapport einstellungen hinweise an",
    },
    "settings.example_hints_off": {
        "en": "/rapport settings hints off",
        "de": "/rapport einstellungen hinweise aus",
    },
    "settings.problem.hints_missing": {
        "en": "After “{word}”, write `on` or `off`.",
        "de": "Schreib nach „{word}“ `an` oder `aus`.",
    },
    "settings.problem.bad_hints": {
        "en": "“{value}” is neither `on` nor `off`.",
        "de": "„{value}“ ist weder `an` noch `aus`.",
    },
    # --- nudge DMs ---
    "nudge.title": {
        "en": ":wave: For today: {summary}.",
        "de": ":wave: Für heute: {summary}.",
    },
    "nudge.fallback": {
        "en": "Rapport for today: {summary}.",
        "de": "Rapport für heute: {summary}.",
    },
    "nudge.count_check_ins_one": {"en": "{count} check-in due", "de": "{count} Check-in fällig"},
    "nudge.count_check_ins": {"en": "{count} check-ins due", "de": "{count} Check-ins fällig"},
    "nudge.count_promises_one": {"en": "{count} promise", "de": "{count} Zusage"},
    "nudge.count_promises": {"en": "{count} promises", "de": "{count} Zusagen"},
    "nudge.and": {"en": " and ", "de": " und "},
    "nudge.check_ins": {"en": "Check-ins due", "de": "Fällige Check-ins"},
    "nudge.promises": {"en": "Your promises", "de": "Deine Zusagen"},
    "nudge.check_in_since": {
        "en": "*{partner}*: last check-in {ago}; a check-in every {cadence}.",
        "de": "*{partner}*: letzter Check-in {ago}; ein Check-in alle {cadence}.",
    },
    "nudge.check_in_first": {
        "en": "*{partner}*: no check-in yet; first contact {ago}; a check-in every {cadence}.",
        "de": "*{partner}*: noch kein Check-in; erster Kontakt {ago}; ein Check-in alle {cadence}.",
    },
    "nudge.ago": {"en": "{ago} ({day})", "de": "{ago} ({day})"},
    # An instant after the DM's own day (a redraw): the date, never "in 3 days".
    "nudge.on_day": {"en": "on {day}", "de": "am {day}"},
    "nudge.promise": {
        "en": "{text} (to *{partner}*): {when}.",
        "de": "{text} (an *{partner}*): {when}.",
    },
    "nudge.due_tomorrow": {"en": "due tomorrow", "de": "morgen fällig"},
    "nudge.due_today": {"en": "*due today*", "de": "*heute fällig*"},
    "nudge.due_on": {"en": "due {day}", "de": "fällig am {day}"},
    "nudge.overdue": {
        "en": "*overdue* since {day} ({days})",
        "de": "*überfällig* seit {day} ({days})",
    },
    "nudge.more": {
        "en": "…and {count} more, which come first in your next message (all your promises: "
        "`/rapport promises`).",
        "de": "…und {count} weitere, die in deiner nächsten Nachricht zuerst kommen (alle "
        "deine Zusagen: `/rapport zusagen`).",
    },
    "nudge.more_partners": {
        "en": "…and {count} more, which come first in your next message (your partners: "
        "`/rapport partners`).",
        "de": "…und {count} weitere, die in deiner nächsten Nachricht zuerst kommen (deine "
        "Partner: `/rapport partner`).",
    },
    "nudge.more_mixed": {
        "en": "…and {count} more, which come first in your next message (all your promises: "
        "`/rapport promises`; your partners: `/rapport partners`).",
        "de": "…und {count} weitere, die in deiner nächsten Nachricht zuerst kommen (alle "
        "deine Zusagen: `/rapport zusagen`; deine Partner: `/rapport partner`).",
    },
    "nudge.also_due": {
        "en": "Also due (with buttons first thing in your next message)",
        "de": "Ebenfalls fällig (mit Knöpfen gleich oben in deiner nächsten Nachricht)",
    },
    "nudge.claimed": {
        "en": ":raising_hand: {owner}'s partner; you said you'd reach out.",
        "de": ":raising_hand: Partner von {owner}; du wolltest dich melden.",
    },
    "nudge.claimed_unowned": {
        "en": ":raising_hand: Nobody looks after this partner; you said you'd reach out.",
        "de": ":raising_hand: Um diesen Partner kümmert sich niemand; du wolltest dich melden.",
    },
    "nudge.name_collisions": {
        "en": ":information_source: Rapport now compares names regardless of accents, umlauts, "
        "case and invisible characters, so some of your partners share a name: {names}. All of "
        "them were kept and nothing was merged; a name typed finds the oldest of them. Where two "
        "are one partner, `/rapport merge NAME into NAME` makes them one.",
        "de": ":information_source: Rapport vergleicht Namen jetzt unabhängig von Akzenten, "
        "Umlauten, Groß- und Kleinschreibung und unsichtbaren Zeichen, daher haben einige deiner "
        "Partner denselben Namen: {names}. Alle wurden behalten, nichts wurde zusammengeführt; "
        "ein getippter Name findet den ältesten davon. Wo zwei derselbe Partner sind, macht "
        "`/rapport zusammenführen NAME in NAME` einen daraus.",
    },
    "nudge.done_fallback": {"en": "Done: {items}.", "de": "Erledigt: {items}."},
    "nudge.their_time": {
        "en": ":clock3: {time} for them ({tz})",
        "de": ":clock3: bei ihnen {time} ({tz})",
    },
    "nudge.after_hours": {
        "en": "(outside their business hours)",
        "de": "(außerhalb ihrer Geschäftszeiten)",
    },
    "nudge.prefers": {"en": "prefers {channel}", "de": "bevorzugt {channel}"},
    "channel.email": {"en": "e-mail", "de": "E-Mail"},
    "channel.phone": {"en": "phone", "de": "Telefon"},
    "channel.meeting": {"en": "meeting in person", "de": "persönliches Treffen"},
    "channel.slack": {"en": "Slack", "de": "Slack"},
    "nudge.last_contact": {
        "en": "Last contact: {how}, {ago}, by {by}.",
        "de": "Letzter Kontakt: {how}, {ago}, von {by}.",
    },
    "nudge.contact": {"en": "contact", "de": "Kontakt"},
    "nudge.note": {"en": "_“{note}”_", "de": "_„{note}“_"},
    "nudge.open_promise": {"en": "{text} (due {day})", "de": "{text} (fällig {day})"},
    "nudge.open_promise_overdue": {
        "en": "{text} (*overdue* since {day})",
        "de": "{text} (*überfällig* seit {day})",
    },
    "nudge.open_promises": {
        "en": "Promised to them and still open: {promises}",
        "de": "Unsere offenen Zusagen an den Partner: {promises}",
    },
    "nudge.their_open_promises": {
        "en": "They promised and it is still open: {promises}",
        "de": "Offene Zusagen des Partners an uns: {promises}",
    },
    "nudge.open_promises_more": {"en": "and {count} more", "de": "und {count} weitere"},
    "nudge.button.their_promise": {"en": "Their promise…", "de": "Zusage des Partners…"},
    "nudge.their_promise.received": {"en": "Received: {text}", "de": "Erhalten: {text}"},
    "nudge.their_promise.drop": {"en": "Drop: {text}", "de": "Verwerfen: {text}"},
    "nudge.button.check_in": {"en": "Log check-in", "de": "Check-in erfassen"},
    "nudge.button.snooze": {"en": "Snooze…", "de": "Später…"},
    "nudge.snooze.week": {"en": "For a week", "de": "Eine Woche"},
    "nudge.snooze.month": {"en": "Until next month", "de": "Bis nächsten Monat"},
    "nudge.button.pause": {"en": "Pause partner until…", "de": "Partner pausieren bis…"},
    "nudge.button.kept": {"en": "Kept", "de": "Gehalten"},
    "nudge.button.more_time": {"en": "Need more time…", "de": "Mehr Zeit nötig…"},
    "nudge.button.drop": {"en": "Drop", "de": "Aufgeben"},
    "nudge.someone": {"en": "someone", "de": "jemandem"},
    "nudge.answered.checked_in": {
        "en": ":white_check_mark: Check-in logged by {by}, {on}.",
        "de": ":white_check_mark: Check-in erfasst von {by}, {on}.",
    },
    "nudge.answered.snoozed": {
        "en": ":zzz: Snoozed by {by} until {until}.",
        "de": ":zzz: Von {by} verschoben bis {until}.",
    },
    "nudge.answered.paused": {
        "en": ":double_vertical_bar: Partner paused by {by} until {until}.",
        "de": ":double_vertical_bar: Partner von {by} pausiert bis {until}.",
    },
    "nudge.answered.kept": {
        "en": ":white_check_mark: Kept, marked by {by}, {on}.",
        "de": ":white_check_mark: Gehalten, vermerkt von {by}, {on}.",
    },
    "nudge.answered.more_time": {
        "en": ":calendar: Now due {until}, moved by {by}.",
        "de": ":calendar: Jetzt fällig {until}, verschoben von {by}.",
    },
    "nudge.answered.dropped": {
        "en": ":wastebasket: Dropped by {by}, {on}.",
        "de": ":wastebasket: Aufgegeben von {by}, {on}.",
    },
    # Undo of an answer given on a nudge DM, offered until the end of the answerer's working day.
    "nudge.button.undo": {"en": "Undo", "de": "Rückgängig"},
    "nudge.undo.too_late": {
        "en": ":hourglass: It is too late to undo that: an answer can be undone until the end "
        "of the working day it was given on. To change the promise now, press *Edit* under the "
        "contact it was logged with, or log it again with `/logcontact`. Nothing was changed.",
        "de": ":hourglass: Dafür ist es zu spät: Eine Antwort lässt sich bis zum Ende des "
        "Arbeitstags rückgängig machen, an dem sie gegeben wurde. Um die Zusage jetzt zu ändern, "
        "drück *Bearbeiten* unter dem Kontakt, mit dem sie erfasst wurde, oder erfasse sie neu "
        "mit `/logcontact`. Es wurde nichts geändert.",
    },
    "nudge.undo.too_late_check_in": {
        "en": ":hourglass: It is too late to undo that: an answer can be undone until the end "
        "of the working day it was given on. To change it now, log a check-in with "
        "`/logcontact`, or use *Pause* or *Resume* on the card of {partner} (`/rapport "
        "partner {partner}`). Nothing was changed.",
        "de": ":hourglass: Dafür ist es zu spät: Eine Antwort lässt sich bis zum Ende des "
        "Arbeitstags rückgängig machen, an dem sie gegeben wurde. Um das jetzt zu ändern, "
        "erfasse einen Check-in mit `/logcontact` oder nutze *Pausieren* oder *Fortsetzen* "
        "auf der Karte von {partner} (`/rapport partner {partner}`). Es wurde nichts "
        "geändert.",
    },
    "nudge.undo.changed": {
        "en": ":information_source: That promise has changed since the answer (it was edited, "
        "or answered in another message), so Undo would overwrite that change. Nothing was "
        "changed.",
        "de": ":information_source: Diese Zusage hat sich seit der Antwort geändert (sie wurde "
        "bearbeitet oder in einer anderen Nachricht beantwortet); Rückgängig würde das "
        "überschreiben. Es wurde nichts geändert.",
    },
    "nudge.undo.changed_check_in": {
        "en": ":information_source: The check-in with {partner} has changed since the answer "
        "(snoozed, paused or resumed elsewhere), so Undo would overwrite that change. Nothing "
        "was changed.",
        "de": ":information_source: Der Check-in mit {partner} hat sich seit der Antwort "
        "geändert (anderswo verschoben, pausiert oder fortgesetzt); Rückgängig würde das "
        "überschreiben. Es wurde nichts geändert.",
    },
    "nudge.undo.not_yours": {
        "en": ":information_source: Only {by}, who gave that answer, can undo it. Nothing was "
        "changed.",
        "de": ":information_source: Nur {by}, von dem die Antwort stammt, kann sie rückgängig "
        "machen. Es wurde nichts geändert.",
    },
    "nudge.undo.elsewhere": {
        "en": ":information_source: That answer was given elsewhere, not with this message's "
        "buttons, so it cannot be undone here. Nothing was changed.",
        "de": ":information_source: Diese Antwort wurde anderswo gegeben, nicht mit den Knöpfen "
        "dieser Nachricht, und lässt sich hier nicht rückgängig machen. Es wurde nichts "
        "geändert.",
    },
    "nudge.undo.nothing": {
        "en": ":information_source: There is no answer here to undo any more (it was undone "
        "already). Nothing was changed.",
        "de": ":information_source: Hier gibt es keine Antwort mehr, die sich rückgängig "
        "machen ließe (sie wurde schon rückgängig gemacht). Es wurde nichts geändert.",
    },
    "nudge.reason": {"en": "Reason: _{reason}_", "de": "Grund: _{reason}_"},
    "nudge.heads_up": {
        "en": "A note for {partner} ({language}) to copy and send:",
        "de": "Eine Nachricht für {partner} ({language}) zum Kopieren und Senden:",
    },
    "heads_up.more_time": {
        "en": "Hello {name}, I need a little more time for “{text}”. You will have it by "
        "{day}. Thank you for your patience!",
        "de": "Hallo {name}, für „{text}“ brauche ich etwas mehr Zeit. Sie bekommen es bis "
        "{day}. Danke für Ihre Geduld!",
    },
    "heads_up.more_time_untitled": {
        "en": "Hello {name}, I need a little more time for what I promised you. You will have "
        "it by {day}. Thank you for your patience!",
        "de": "Hallo {name}, für das, was ich Ihnen zugesagt habe, brauche ich etwas mehr Zeit. "
        "Sie bekommen es bis {day}. Danke für Ihre Geduld!",
    },
    "language.en": {"en": "in English", "de": "auf Englisch"},
    "language.de": {"en": "in German", "de": "auf Deutsch"},
    "nudge.done.checked_in": {
        "en": "check-in logged with {what}",
        "de": "Check-in mit {what} erfasst",
    },
    "nudge.done.snoozed": {
        "en": "{what} snoozed until {until}",
        "de": "{what} verschoben bis {until}",
    },
    "nudge.done.paused": {
        "en": "{what} paused until {until}",
        "de": "{what} pausiert bis {until}",
    },
    "nudge.done.kept": {"en": "kept {what}", "de": "{what} gehalten"},
    "nudge.done.more_time": {
        "en": "{what} now due {until}",
        "de": "{what} jetzt fällig {until}",
    },
    "nudge.done.dropped": {"en": "dropped {what}", "de": "{what} aufgegeben"},
    # Answers that cannot be carried out, shown under the item or as a note only its reader sees.
    "nudge.problem.date_not_future": {
        "en": "Pick a day after today ({day} has passed or is today).",
        "de": "Wähl einen Tag nach heute ({day} ist heute oder schon vorbei).",
    },
    "nudge.problem.date_too_far": {
        "en": "Pick a day within a year ({day} is further away).",
        "de": "Wähl einen Tag innerhalb eines Jahres ({day} liegt weiter weg).",
    },
    "nudge.problem.not_yours": {
        "en": ":warning: That button belongs to a message Rapport sent someone else; nothing "
        "was changed.",
        "de": ":warning: Dieser Knopf gehört zu einer Nachricht an jemand anderen; es wurde "
        "nichts geändert.",
    },
    "nudge.problem.gone": {
        "en": ":warning: That item no longer exists (it was undone or removed); nothing was "
        "changed.",
        "de": ":warning: Diesen Eintrag gibt es nicht mehr (rückgängig gemacht oder entfernt); "
        "es wurde nichts geändert.",
    },
    "nudge.problem.owner": {
        "en": ":information_source: {partner} is now looked after by {owner}; nothing was changed.",
        "de": ":information_source: Um {partner} kümmert sich jetzt {owner}; es wurde nichts "
        "geändert.",
    },
    "nudge.problem.promiser": {
        "en": ":information_source: That promise is now {owner}'s to keep; nothing was changed.",
        "de": ":information_source: Diese Zusage hält jetzt {owner}; es wurde nichts geändert.",
    },
    "nudge.nobody": {"en": "nobody", "de": "niemand"},
    # --- hand-overs announced in the nudge DM ---
    "nudge.count_hand_overs_one": {"en": "{count} hand-over", "de": "{count} Übergabe"},
    "nudge.count_hand_overs": {"en": "{count} hand-overs", "de": "{count} Übergaben"},
    "nudge.hand_overs": {"en": "Handed over", "de": "Übergeben"},
    "nudge.handed_over": {
        "en": ":handshake: {actor} handed *{partner}* over to you.",
        "de": ":handshake: {actor} hat dir *{partner}* übergeben.",
    },
    "nudge.handed_away": {
        "en": ":handshake: {actor} handed *{partner}* over to {owner}.",
        "de": ":handshake: {actor} hat *{partner}* an {owner} übergeben.",
    },
    "nudge.taken_away": {
        "en": ":handshake: {actor} took *{partner}* over from you.",
        "de": ":handshake: {actor} hat *{partner}* von dir übernommen.",
    },
    "nudge.hand_over.someone": {"en": "Someone", "de": "Jemand"},
    "nudge.hand_over.organisation": {
        "en": "Organisation: {organisation}",
        "de": "Organisation: {organisation}",
    },
    "nudge.hand_over.no_contact": {
        "en": "No contact logged yet.",
        "de": "Noch kein Kontakt erfasst.",
    },
    "nudge.hand_over.next_check_in": {
        "en": "Next check-in: {day}",
        "de": "Nächster Check-in: {day}",
    },
    "nudge.hand_over.next_check_in_due": {
        "en": "Next check-in: *due* since {day}",
        "de": "Nächster Check-in: *fällig* seit {day}",
    },
    "nudge.hand_over.next_check_in_paused": {
        "en": "Next check-in: none while paused",
        "de": "Nächster Check-in: keiner, solange pausiert",
    },
    "nudge.hand_over.promises": {
        "en": "Open promises: {ours} ours to them, {theirs} theirs to us",
        "de": "Offene Zusagen: {ours} von uns an sie, {theirs} von ihnen an uns",
    },
    "nudge.button.show_card": {"en": "Show card", "de": "Karte zeigen"},
    # --- after-hours figures in the nudge DM ---
    "nudge.after_hours.line": {
        "en": ":crescent_moon: Just for you: last week you reached people outside their business "
        "hours: {figures}. Next time, click the arrow next to the send button and pick a later "
        "time (on mobile, press and hold the send button), so the message arrives in their "
        "business hours.",
        "de": ":crescent_moon: Nur für dich: Letzte Woche hast du Leute außerhalb ihrer "
        "Geschäftszeiten erreicht: {figures}. Nächstes Mal: Klicke auf den Pfeil neben dem "
        "Senden-Knopf und wähle eine spätere Zeit (am Handy: den Senden-Knopf gedrückt halten), "
        "damit die Nachricht in ihren Geschäftszeiten ankommt.",
    },
    "nudge.after_hours.figure": {"en": "{who} {times}", "de": "{who} {times}"},
    "nudge.after_hours.once": {"en": "once", "de": "einmal"},
    "nudge.after_hours.twice": {"en": "twice", "de": "zweimal"},
    "nudge.after_hours.times": {"en": "{count} times", "de": "{count}-mal"},
    "nudge.after_hours.someone": {
        "en": "someone at another organisation",
        "de": "jemand aus einer anderen Organisation",
    },
    "nudge.after_hours.people": {
        "en": "{count} people at other organisations",
        "de": "{count} Personen aus anderen Organisationen",
    },
    # --- dropping a promise ---
    "drop.title": {"en": "Drop a promise", "de": "Zusage aufgeben"},
    "drop.submit": {"en": "Drop it", "de": "Aufgeben"},
    "drop.close": {"en": "Keep it", "de": "Behalten"},
    "drop.body": {
        "en": "Drop *{text}* (to *{partner}*)? Rapport stops reminding you of it. Telling "
        "{partner} yourself keeps the relationship honest.",
        "de": "*{text}* (an *{partner}*) aufgeben? Rapport erinnert dich dann nicht mehr daran. "
        "Sag es {partner} am besten selbst: das hält die Beziehung ehrlich.",
    },
    "drop.body_untitled": {
        "en": "Drop this promise to *{partner}*? Rapport stops reminding you of it. Telling "
        "{partner} yourself keeps the relationship honest.",
        "de": "Diese Zusage an *{partner}* aufgeben? Rapport erinnert dich dann nicht mehr daran. "
        "Sag es {partner} am besten selbst: das hält die Beziehung ehrlich.",
    },
    "drop.reason": {"en": "Reason", "de": "Grund"},
    "drop.reason_hint": {
        "en": "e.g. they no longer need it",
        "de": "z. B. sie brauchen es nicht mehr",
    },
    # --- help ---
    # --- /rapport: help, lists, promises ---
    "rapport.help.title": {
        "en": "Rapport: partners, promises, settings",
        "de": "Rapport: Partner, Zusagen, Einstellungen",
    },
    "rapport.help.body": {
        "en": "`/rapport` shows what Rapport knows; `/logcontact` logs a contact.\n"
        "• `/rapport partners`: the partners you look after, with the last contact, the next "
        "check-in and the open promises both ways\n"
        "• `/rapport partners all`: every partner of the workspace\n"
        "• `/rapport partners unowned`: the partners nobody looks after, to take over\n"
        "• `/rapport partners search mueller`: by name, organisation or e-mail\n"
        "• `/rapport promises`: your open promises, and those made to you, overdue first\n"
        "• `/rapport partner Acme owner @anna`: hand a partner over to Anna\n"
        "• `/rapport settings`: when Rapport may nudge you, your language, when you are away "
        "(`away until 4 Jan`), your public holidays (`public-holidays DE-BY`) and after-hours "
        "hints (`hints off`)\n"
        "• `/rapport digest on` in a team channel: a digest there of the partners who need "
        "attention, weekly on Monday at 09:00 unless told otherwise "
        "(`digest on biweekly tue 08:30 Europe/Berlin language de`; a week with nothing to "
        "report posts one line, `quiet line`, or nothing, `quiet nothing`); "
        "`digest status`, `digest off`",
        "de": "`/rapport` zeigt, was Rapport weiß; `/logcontact` erfasst einen Kontakt.\n"
        "• `/rapport partner`: die Partner, für die du zuständig bist, mit dem letzten "
        "Kontakt, dem nächsten Check-in und den offenen Zusagen in beide Richtungen\n"
        "• `/rapport partner alle`: alle Partner des Workspace\n"
        "• `/rapport partner ohne zuständige`: die Partner, für die niemand zuständig ist, "
        "zum Übernehmen\n"
        "• `/rapport partner suchen müller`: nach Name, Organisation oder E-Mail\n"
        "• `/rapport zusagen`: deine offenen Zusagen und die an dich, überfällige zuerst\n"
        "• `/rapport partner Acme zuständig @anna`: einen Partner an Anna übergeben\n"
        "• `/rapport einstellungen`: wann Rapport dich erinnern darf, deine Sprache, wann du "
        "abwesend bist (`abwesend bis 4.1.`), deine Feiertage (`feiertage DE-BY`) und "
        "Geschäftszeiten-Hinweise (`hinweise aus`)\n"
        "• `/rapport digest an` in einem Team-Kanal: dort eine Übersicht der Partner, die "
        "Aufmerksamkeit brauchen, wöchentlich montags um 09:00, wenn nicht anders gesagt "
        "(`digest an zweiwöchentlich di 8:30 Europe/Berlin sprache de`; eine Woche ohne "
        "Auffälligkeiten bringt eine Zeile, `ruhig zeile`, oder nichts, `ruhig nichts`); "
        "`digest status`, `digest aus`",
    },
    "rapport.help.card": {
        "en": "• `/rapport partner Acme`: a partner's card; "
        "`/rapport partner Acme set cadence 60` changes its profile\n"
        "• `/rapport partner Acme rename Acme Corp`: a new name; `/rapport forget Acme`: erase "
        "the partner and all about it (its owner or an admin, after a confirmation)\n"
        "• `/rapport merge Acme Ltd into Acme`: one partner kept twice becomes one, with the "
        "whole history (whoever looks after both, or an admin, after a confirmation)",
        "de": "• `/rapport partner Acme`: die Karte eines Partners; "
        "`/rapport partner Acme setze rhythmus 60` ändert sein Profil\n"
        "• `/rapport partner Acme umbenennen Acme Corp`: ein neuer Name; `/rapport vergessen "
        "Acme`: den Partner und alles über ihn löschen (zuständige Person oder Admin, nach einer "
        "Rückfrage)\n"
        "• `/rapport zusammenführen Acme Ltd in Acme`: ein doppelt erfasster Partner wird einer, "
        "mit der ganzen Geschichte (wer für beide zuständig ist, oder Admin, nach einer "
        "Rückfrage)",
    },
    "rapport.help.quoted": {
        "en": "A partner named like a word of the command goes in quotes: "
        '`/rapport partner "All"`.',
        "de": "Ein Partner, der wie ein Wort des Befehls heißt, kommt in Anführungszeichen: "
        '`/rapport partner "Alle"`.',
    },
    "rapport.unknown": {
        "en": ":thinking_face: `/rapport` has no `{word}`. `/rapport help` lists what it does.",
        "de": ":thinking_face: `/rapport` kennt `{word}` nicht. `/rapport hilfe` zeigt, was es "
        "kann.",
    },
    "rapport.unknown_near": {
        "en": ":thinking_face: `/rapport` has no `{word}`. Did you mean `/rapport {near}`? "
        "`/rapport help` lists what it does.",
        "de": ":thinking_face: `/rapport` kennt `{word}` nicht. Meintest du `/rapport {near}`? "
        "`/rapport hilfe` zeigt, was es kann.",
    },
    "rapport.search.missing": {
        "en": ":thinking_face: Search for what? For example: `/rapport partners search acme`",
        "de": ":thinking_face: Wonach suchen? Zum Beispiel: `/rapport partner suchen acme`",
    },
    "rapport.search.too_long": {
        "en": ":thinking_face: A search takes at most {limit} characters.",
        "de": ":thinking_face: Eine Suche darf höchstens {limit} Zeichen lang sein.",
    },
    "rapport.page.stale": {
        "en": ":information_source: That button no longer leads anywhere. Type the list's "
        "command again, for example `/rapport partners`.",
        "de": ":information_source: Diese Schaltfläche führt nirgends mehr hin. Gib den Befehl "
        "der Liste noch einmal ein, zum Beispiel `/rapport partner`.",
    },
    "rapport.list.mine": {"en": "Your partners", "de": "Deine Partner"},
    "rapport.list.all": {"en": "All partners", "de": "Alle Partner"},
    "rapport.list.search": {
        "en": "Partners matching “{text}”",
        "de": "Partner zu „{text}“",
    },
    "rapport.list.promises": {"en": "Your open promises", "de": "Deine offenen Zusagen"},
    "rapport.list.range": {
        "en": "{first}–{last} of {total}",
        "de": "{first}–{last} von {total}",
    },
    "rapport.list.overdue_count": {
        "en": "{count} overdue",
        "de": "{count} überfällig",
    },
    "rapport.list.empty.mine": {
        "en": "You look after no partners yet. `/rapport partners unowned` lists those nobody "
        "looks after; logging a contact with a new partner makes it yours.",
        "de": "Du bist noch für keinen Partner zuständig. `/rapport partner ohne zuständige` "
        "zeigt die, für die niemand zuständig ist; wer einen Kontakt mit einem neuen Partner "
        "erfasst, ist für ihn zuständig.",
    },
    "rapport.list.empty.all": {
        "en": "No partners yet: log a contact with `/logcontact` and its partner is added.",
        "de": "Noch keine Partner: erfasse einen Kontakt mit `/logcontact`, dann kommt sein "
        "Partner dazu.",
    },
    "rapport.list.empty.search": {
        "en": "No partner's name, organisation or e-mail contains “{text}”.",
        "de": "Kein Partner hat „{text}“ im Namen, in der Organisation oder in der E-Mail.",
    },
    "rapport.list.empty.promises": {
        "en": "You have no open promises, either way.",
        "de": "Du hast keine offenen Zusagen, in keine Richtung.",
    },
    "rapport.list.past_end": {
        "en": "This list has fewer entries now; its first page:",
        "de": "Diese Liste ist inzwischen kürzer; ihre erste Seite:",
    },
    "rapport.button.next": {"en": "Next page", "de": "Nächste Seite"},
    "rapport.button.previous": {"en": "Previous page", "de": "Vorige Seite"},
    "rapport.row.owner": {"en": "{user} looks after it", "de": "{user} ist zuständig"},
    "rapport.row.no_owner": {"en": "nobody looks after it", "de": "niemand zuständig"},
    "rapport.row.owner_gone": {
        "en": "nobody looks after it (was {user})",
        "de": "niemand zuständig (zuvor {user})",
    },
    # A live claim on a row ("I'll reach out" on a team digest): who, by name, and until when.
    "claim.row": {
        "en": ":raising_hand: {user} is on it until {day}",
        "de": ":raising_hand: {user} kümmert sich bis {day}",
    },
    "claim.row_mine": {
        "en": ":raising_hand: you are on it until {day}",
        "de": ":raising_hand: du kümmerst dich bis {day}",
    },
    "rapport.row.contact_by": {"en": "{contact} by {user}", "de": "{contact} von {user}"},
    "rapport.row.check_in_due": {"en": "check-in due {day}", "de": "Check-in fällig {day}"},
    "rapport.row.check_in_today": {"en": "check-in due today", "de": "Check-in heute fällig"},
    "rapport.row.check_in_overdue": {
        "en": ":warning: check-in overdue since {day}",
        "de": ":warning: Check-in überfällig seit {day}",
    },
    "rapport.row.paused": {"en": "paused", "de": "pausiert"},
    "rapport.row.paused_until": {"en": "paused until {day}", "de": "pausiert bis {day}"},
    "rapport.row.no_check_in": {
        "en": "no check-in planned before a first contact",
        "de": "kein Check-in geplant vor einem ersten Kontakt",
    },
    "rapport.row.no_promises": {"en": "no open promises", "de": "keine offenen Zusagen"},
    "rapport.row.ours": {"en": "we promised {count}", "de": "wir haben {count} zugesagt"},
    "rapport.row.theirs": {"en": "they promised {count}", "de": "sie haben {count} zugesagt"},
    "rapport.row.overdue": {
        "en": "({count} overdue :warning:)",
        "de": "({count} überfällig :warning:)",
    },
    # A row of the promises list and the Home: a sentence with its subject in both languages.
    "rapport.promise.ours": {
        "en": "You promised *{partner}*: {text}",
        "de": "Du hast *{partner}* zugesagt: {text}",
    },
    "rapport.promise.theirs": {
        "en": "*{partner}* promised us: {text}",
        "de": "*{partner}* hat uns zugesagt: {text}",
    },
    "rapport.promise.due": {"en": "due {day}", "de": "fällig {day}"},
    "rapport.promise.due_today": {"en": "due today", "de": "heute fällig"},
    "rapport.promise.overdue": {
        "en": ":warning: overdue since {day}",
        "de": ":warning: überfällig seit {day}",
    },
    "help.title": {"en": "Logging contacts with Rapport", "de": "Kontakte erfassen mit Rapport"},
    "help.body": {
        "en": "Log a contact in one line: *partner*, then how, what kind, when, a note, and a "
        "promise if you made one.\n"
        "• `/logcontact @anna call discussed the Q3 roadmap`\n"
        "• `/logcontact Acme check-in: happy with delivery times`\n"
        '• `/logcontact "Jens Ohlsen" (Nordwind GmbH) meeting yesterday`\n'
        "• `/logcontact Acme email promise: send the revised quote by next Tuesday`\n"
        "• `/logcontact Acme call they promised: the signed contract by Friday`\n"
        "Names with spaces go in quotes; the organisation in parentheses. Dates: `yesterday`, "
        "`Monday`, `2026-11-20`, `14:30`. Due dates: `by Friday`, `in 2 weeks`, "
        "`end of month`, `week 12`.\n"
        "`/logcontact` alone opens a form. On any message, the shortcut *Log as contact* "
        "logs it.\n"
        "`/rapport settings` shows and changes when Rapport may nudge you, your language, "
        "when you are away (`away until 4 Jan`), your public holidays (`public-holidays DE-BY`) "
        "and after-hours hints (`hints off`).\n"
        "`/rapport partner Acme owner @anna` hands a partner over to Anna; "
        "`/rapport partners unowned` lists the partners nobody looks after, to take over.\n"
        "`/rapport help`: your partners, your open promises and more.",
        "de": "Erfasse einen Kontakt in einer Zeile: *Partner*, dann wie, welche Art, wann, "
        "eine Notiz und eine Zusage, falls du eine gegeben hast.\n"
        "• `/logcontact @anna Anruf Q3-Planung besprochen`\n"
        "• `/logcontact Acme Check-in: zufrieden mit den Lieferzeiten`\n"
        '• `/logcontact "Jens Ohlsen" (Nordwind GmbH) Treffen gestern`\n'
        "• `/logcontact Acme E-Mail Zusage: überarbeitetes Angebot bis nächsten Dienstag`\n"
        "• `/logcontact Acme Anruf sie sagen zu: unterschriebener Vertrag bis Freitag`\n"
        "Namen mit Leerzeichen in Anführungszeichen, die Organisation in Klammern. Daten: "
        "`gestern`, `Montag`, `20.11.2026`, `14:30`. Fälligkeiten: `bis Freitag`, "
        "`in 2 Wochen`, `Ende des Monats`, `KW 12`.\n"
        "`/logcontact` allein öffnet ein Formular. An jeder Nachricht erfasst die Verknüpfung "
        "*Log as contact* sie als Kontakt.\n"
        "`/rapport einstellungen` zeigt und ändert, wann Rapport dich erinnern darf, deine "
        "Sprache, wann du abwesend bist (`abwesend bis 4.1.`), deine Feiertage "
        "(`feiertage DE-BY`) und Geschäftszeiten-Hinweise (`hinweise aus`).\n"
        "`/rapport partner Acme zuständig @anna` übergibt einen Partner an Anna; "
        "`/rapport partner ohne zuständige` zeigt die Partner, für die niemand mehr "
        "zuständig ist, zum Übernehmen.\n"
        "`/rapport hilfe`: deine Partner, deine offenen Zusagen und mehr.",
    },
    # --- the modal ---
    "modal.title": {"en": "Log a contact", "de": "Kontakt erfassen"},
    "modal.title_edit": {"en": "Edit contact", "de": "Kontakt bearbeiten"},
    "modal.submit": {"en": "Save", "de": "Speichern"},
    "modal.close": {"en": "Cancel", "de": "Abbrechen"},
    "modal.partner": {"en": "Partner", "de": "Partner"},
    "modal.partner_placeholder": {
        "en": "Search your partners",
        "de": "Partner suchen",
    },
    "modal.partner_hint": {
        "en": "Needed: pick a partner here, or type a new one in the next field.",
        "de": "Nötig: Wähle hier einen Partner oder gib im nächsten Feld einen neuen ein.",
    },
    "modal.new_partner": {"en": "…or a new partner", "de": "…oder ein neuer Partner"},
    "modal.new_partner_hint": {
        "en": "Name of someone not yet in Rapport",
        "de": "Name, der noch nicht in Rapport ist",
    },
    "modal.organisation": {"en": "Organisation", "de": "Organisation"},
    "modal.medium": {"en": "How", "de": "Wie"},
    "modal.kind": {"en": "Kind", "de": "Art"},
    "modal.direction": {"en": "Give and take", "de": "Geben und Nehmen"},
    "modal.date": {"en": "Date", "de": "Datum"},
    "modal.time": {"en": "Time", "de": "Uhrzeit"},
    "modal.note": {"en": "Note", "de": "Notiz"},
    "modal.promise": {"en": "Promise", "de": "Zusage"},
    "modal.promise_hint": {
        "en": "Something promised, by you or by them, down to a call-back",
        "de": "Etwas Zugesagtes, von dir oder von ihnen, bis hin zum Rückruf",
    },
    "modal.due": {"en": "Promise due", "de": "Zusage fällig"},
    "modal.promised_by": {"en": "Who promised", "de": "Wer hat zugesagt"},
    "modal.with_promise_hint": {
        "en": "Needed when there is a promise.",
        "de": "Nötig, wenn es eine Zusage gibt.",
    },
    "promised_by.us": {"en": "We did", "de": "Wir"},
    "promised_by.partner": {"en": "They did", "de": "Sie"},
    "modal.error.partner_missing": {
        "en": "Pick a partner or type the name of a new one.",
        "de": "Wähle einen Partner oder gib den Namen eines neuen ein.",
    },
    "modal.error.kind_missing": {
        "en": "Pick what kind of contact it was.",
        "de": "Wähle, welche Art von Kontakt es war.",
    },
    "modal.error.direction_missing": {
        "en": "Pick who gave and who took.",
        "de": "Wähle, wer gegeben und wer genommen hat.",
    },
    "modal.error.when_missing": {
        "en": "Pick the day of the contact.",
        "de": "Wähle den Tag des Kontakts.",
    },
    "modal.error.promised_by_missing": {
        "en": "Who promised it: we or they?",
        "de": "Wer hat es zugesagt: wir oder sie?",
    },
    "modal.error.partner_both": {
        "en": "Either pick a partner or type a new one, not both.",
        "de": "Wähle einen Partner oder gib einen neuen ein, nicht beides.",
    },
    "modal.error.ambiguous_partner": {
        "en": "Several partners are called “{name}”: {choices}. Pick one in the list above, or "
        "fill in the organisation to say which.",
        "de": "Mehrere Partner heißen „{name}“: {choices}. Wähle einen in der Liste oben oder "
        "ergänze die Organisation, um einen zu bestimmen.",
    },
    "modal.error.name_taken": {
        "en": "A partner called “{name}” is already in Rapport, without a Slack account, and "
        "may be someone else. Pick them in the list above to log with them, or fill in the "
        "organisation to add this person apart.",
        "de": "Ein Partner namens „{name}“ ist schon in Rapport, ohne Slack-Konto, und ist "
        "vielleicht jemand anderes. Wähle ihn oben in der Liste, um für ihn zu erfassen, oder "
        "ergänze die Organisation, um diese Person getrennt anzulegen.",
    },
    # The form's question before it creates a partner named like known ones, as `/logcontact`
    # text asks it (`question.similar_partner`; `_one` for one partner). Its choice is an
    # optional input, which Slack labels "(optional)": a partner picked in the list at the top
    # answers it too, and the text says so rather than "nothing is saved until you choose"
    # right above "(optional)".
    "modal.near.question": {
        "en": ":thinking_face: *{name}* is not one of your partners yet, but some have a name "
        "like it: {partners}. Did you mean one of them, or is it a new partner? Choose below "
        "or pick a partner in the list at the top; nothing is saved until you do.",
        "de": ":thinking_face: *{name}* ist noch keiner deiner Partner, aber einige heißen "
        "ähnlich: {partners}. Meintest du einen davon, oder ist es ein neuer Partner? Wähle "
        "unten oder oben in der Liste einen Partner; gespeichert wird erst dann.",
    },
    "modal.near.question_one": {
        "en": ":thinking_face: *{name}* is not one of your partners yet, but one has a name "
        "like it: {partners}. Did you mean that one, or is it a new partner? Choose below "
        "or pick a partner in the list at the top; nothing is saved until you do.",
        "de": ":thinking_face: *{name}* ist noch keiner deiner Partner, aber einer heißt "
        "ähnlich: {partners}. Meintest du diesen, oder ist es ein neuer Partner? Wähle "
        "unten oder oben in der Liste einen Partner; gespeichert wird erst dann.",
    },
    "modal.near.label": {
        "en": "Who is “{name}”?",
        "de": "Wer ist „{name}“?",
    },
    "modal.near.hint": {
        "en": "Or pick another partner in the list at the top.",
        "de": "Oder wähle oben in der Liste einen anderen Partner.",
    },
    "modal.near.create": {
        "en": "Add {name} as a new partner anyway",
        "de": "{name} trotzdem als neuen Partner anlegen",
    },
    "modal.error.near_conflict": {
        "en": "“{partner_field}” at the top names another partner than the one chosen here for "
        "“{name}”: choose the same partner in both.",
        "de": "„{partner_field}“ oben nennt einen anderen Partner als den, der hier für "
        "„{name}“ gewählt ist: Wähle in beiden denselben Partner.",
    },
    "modal.error.near_unanswered": {
        "en": "Choose who “{name}” is, or pick a partner in the list at the top.",
        "de": "Wähle, wer „{name}“ ist, oder wähle oben in der Liste einen Partner.",
    },
    "modal.error.partner_gone": {
        "en": "That partner no longer exists; pick another.",
        "de": "Diesen Partner gibt es nicht mehr; wähle einen anderen.",
    },
    "modal.error.date_future": {
        "en": "The contact can't be in the future.",
        "de": "Der Kontakt kann nicht in der Zukunft liegen.",
    },
    "modal.error.time_later_today": {
        "en": "Today at {at} is later than now: the contact can't be in the future.",
        "de": "Heute um {at} ist später als jetzt: Der Kontakt kann nicht in der Zukunft liegen.",
    },
    "modal.error.due_missing": {
        "en": "When is the promise due?",
        "de": "Wann ist die Zusage fällig?",
    },
    "modal.error.due_past": {
        "en": "The due date has passed; pick today or later.",
        "de": "Das Fälligkeitsdatum ist vorbei; wähle heute oder später.",
    },
    "modal.error.promise_missing": {
        "en": "A due date needs a promise: say what you promised.",
        "de": "Ein Fälligkeitsdatum braucht eine Zusage: schreib, was du zugesagt hast.",
    },
    "modal.error.name_character": {
        "en": "Remove the invisible character ({char}): it can't be part of a name.",
        "de": "Entferne das unsichtbare Zeichen ({char}): Es kann nicht Teil eines Namens sein.",
    },
    "modal.error.address_as_name": {
        "en": "A web or mail address can't name a partner or an organisation ({address}), and a "
        "link's text may name another site than the one it leads to. Type the name itself, and "
        "put the link in the note.",
        "de": "Eine Web- oder Mailadresse kann keinen Partner und keine Organisation benennen "
        "({address}), und der Text eines Links kann eine andere Seite nennen als die, zu der er "
        "führt. Gib den Namen selbst ein und schreib den Link in die Notiz.",
    },
    "modal.error.due_other_day": {
        "en": "The promise says “{phrase}”, which is {said}, but the due date picked is "
        "{picked}. Which is it? Pick {said} here, or change those words in the promise.",
        "de": "Die Zusage sagt „{phrase}“, also {said}, aber als Fälligkeit ist {picked} "
        "gewählt. Was gilt? Wähle hier {said}, oder ändere diese Wörter in der Zusage.",
    },
    "modal.error.control_character": {
        "en": "Remove the invisible control character ({char}).",
        "de": "Entferne das unsichtbare Steuerzeichen ({char}).",
    },
    "modal.error.too_long": {
        "en": "At most {limit} characters.",
        "de": "Höchstens {limit} Zeichen.",
    },
    # --- a member's own settings ---
    "settings.title": {
        "en": ":gear: *Your settings*",
        "de": ":gear: *Deine Einstellungen*",
    },
    "settings.saved": {
        "en": ":white_check_mark: *Saved your settings.*",
        "de": ":white_check_mark: *Deine Einstellungen sind gespeichert.*",
    },
    "settings.window": {
        "en": "Rapport will nudge you {days}, {start}–{end} ({tz}).",
        "de": "Rapport erinnert dich {days}, {start}–{end} ({tz}).",
    },
    "settings.zone": {
        "en": "The time zone is the one in your Slack profile; change it there.",
        "de": "Die Zeitzone kommt aus deinem Slack-Profil; ändere sie dort.",
    },
    "settings.language.chosen": {
        "en": "Language: {language} (set by hand).",
        "de": "Sprache: {language} (von Hand gesetzt).",
    },
    "settings.language.slack": {
        "en": "Language: {language} (from Slack).",
        "de": "Sprache: {language} (aus Slack).",
    },
    "settings.away": {
        "en": "Away until {day}: nudges wait and come in one message that day.",
        "de": "Abwesend bis {day}: Erinnerungen warten und kommen an dem Tag in einer Nachricht.",
    },
    "settings.back": {
        "en": "Not away: nudges come in your working hours again.",
        "de": "Nicht abwesend: Erinnerungen kommen wieder in deiner Arbeitszeit.",
    },
    "settings.how": {
        "en": "To change your hours and days: `{example}` (either one alone works too). "
        "Language: `{language_example}`. Away (holidays): `{away_example}`; `{back_example}` "
        "ends them early. Public holidays: `{holidays_example}` (`none`: no public holidays; "
        "`auto`: those of your time zone's country).",
        "de": "So änderst du Arbeitszeit und Tage: `{example}` (auch einzeln). "
        "Sprache: `{language_example}`. Abwesend (Urlaub): `{away_example}`; `{back_example}` "
        "beendet ihn früher. Feiertage: `{holidays_example}` (`keine`: keine Feiertage; "
        "`auto`: die des Landes deiner Zeitzone).",
    },
    "settings.example": {
        "en": "/rapport settings hours 8:30-17 days mon-fri",
        "de": "/rapport einstellungen arbeitszeit 8:30-17 tage mo-fr",
    },
    "settings.example_language": {
        "en": "/rapport settings language de",
        "de": "/rapport einstellungen sprache en",
    },
    "settings.example_away": {
        "en": "/rapport settings away until Jan 4",
        "de": "/rapport einstellungen abwesend bis 4. Januar",
    },
    "settings.example_back": {
        "en": "/rapport settings back",
        "de": "/rapport einstellungen zurück",
    },
    "settings.problem.title": {
        "en": ":warning: I couldn't change your settings. {problem}",
        "de": ":warning: Deine Einstellungen konnte ich nicht ändern. {problem}",
    },
    "settings.problem.unknown_word": {
        "en": "“{word}” is not a setting: start with `hours`, `days`, `language`, `away`, "
        "`public-holidays` or `hints`.",
        "de": "„{word}“ ist keine Einstellung: beginne mit `arbeitszeit`, `tage`, `sprache`, "
        "`abwesend`, `feiertage` oder `hinweise`.",
    },
    "settings.problem.repeated": {
        "en": "“{word}” comes twice; say it once.",
        "de": "„{word}“ steht zweimal da; nenne es einmal.",
    },
    "settings.problem.hours_missing": {
        "en": "Which hours? Give a start and an end after “{word}”.",
        "de": "Welche Arbeitszeit? Gib nach „{word}“ Beginn und Ende an.",
    },
    "settings.problem.bad_hours": {
        "en": "I couldn't read “{value}” as working hours: give a start and an end, like 8-17 "
        "or 8:30-17:15.",
        "de": "„{value}“ kann ich nicht als Arbeitszeit lesen: gib Beginn und Ende an, etwa "
        "8-17 oder 8:30-17:15.",
    },
    "settings.problem.bad_time": {
        "en": "“{time}” is not a time of day: hours go from 0 to 24, minutes from 0 to 59.",
        "de": "„{time}“ ist keine Uhrzeit: Stunden gehen von 0 bis 24, Minuten von 0 bis 59.",
    },
    "settings.problem.overnight": {
        "en": "Work has to end after it starts on the same day, and {start}–{end} does not. "
        "Hours past midnight aren't supported; end at 24:00 at the latest. For an afternoon "
        "hour write 17 or 5pm.",
        "de": "Die Arbeitszeit muss am selben Tag nach ihrem Beginn enden, {start}–{end} tut "
        "das nicht. Über Mitternacht geht es nicht; spätestens um 24:00 ist Schluss. Eine "
        "Uhrzeit am Nachmittag schreibst du als 17 oder 17 Uhr.",
    },
    "settings.problem.days_missing": {
        "en": "Which days? Name at least one after “{word}”.",
        "de": "Welche Tage? Nenne nach „{word}“ mindestens einen.",
    },
    "settings.problem.bad_day": {
        "en": "I don't know the day “{day}”: use mon tue wed thu fri sat sun, full names, or "
        "ranges like mon-fri.",
        "de": "Den Tag „{day}“ kenne ich nicht: nimm mo di mi do fr sa so, die vollen Namen "
        "oder Bereiche wie mo-fr.",
    },
    "settings.problem.language_missing": {
        "en": "Which language? Name one after “{word}”: `en`, `de`, or `auto` for the one in "
        "your Slack profile.",
        "de": "Welche Sprache? Nenne nach „{word}“ eine: `de`, `en` oder `auto` für die aus "
        "deinem Slack-Profil.",
    },
    "settings.problem.bad_language": {
        "en": "I don't know the language “{value}”: Rapport speaks English (`en`) and German "
        "(`de`), and `auto` follows your Slack profile.",
        "de": "Die Sprache „{value}“ kenne ich nicht: Rapport spricht Deutsch (`de`) und "
        "Englisch (`en`), und `auto` folgt deinem Slack-Profil.",
    },
    "settings.problem.away_missing": {
        "en": "Away until when? After “{word}”, give the day you are back, like `until Jan 4`, "
        "or `off` if you are not away.",
        "de": "Abwesend bis wann? Gib nach „{word}“ den Tag an, an dem du zurück bist, etwa "
        "`bis 4. Januar`, oder `aus`, wenn du nicht weg bist.",
    },
    "settings.problem.bad_date": {
        "en": "I couldn't read “{value}” as a day: try `until 2027-01-04`, `until Jan 4` or "
        "`until next monday`.",
        "de": "„{value}“ kann ich nicht als Tag lesen: versuch `bis 04.01.2027`, `bis 4. Januar` "
        "oder `bis nächsten Montag`.",
    },
    "settings.problem.past_date": {
        "en": "“{value}” is not after today: give the day you are back at work, like "
        "`until Jan 4`; `back` ends an absence now.",
        "de": "„{value}“ liegt nicht nach heute: gib den Tag an, an dem du wieder arbeitest, "
        "etwa `bis 4. Januar`; `zurück` beendet eine Abwesenheit sofort.",
    },
    "settings.problem.too_far": {
        "en": "“{value}” is too far ahead: the day you are back can be {last} at the latest.",
        "de": "„{value}“ liegt zu weit in der Zukunft: der Tag, an dem du zurück bist, kann "
        "spätestens der {last} sein.",
    },
    # --- ownership ---
    "ownership.example": {
        "en": "/rapport partner Acme owner @anna",
        "de": "/rapport partner Acme zuständig @anna",
    },
    "ownership.word": {"en": "owner", "de": "zuständig"},
    "ownership.transferred": {
        "en": ":handshake: <@{owner}> now looks after *{partner}*; its check-in nudges go to "
        "them from now on.",
        "de": ":handshake: <@{owner}> ist jetzt für *{partner}* zuständig; die Erinnerungen an "
        "Check-ins gehen ab jetzt an diese Person.",
    },
    "ownership.taken": {
        "en": ":white_check_mark: You now look after *{partner}*; its check-in nudges come to "
        "you from now on.",
        "de": ":white_check_mark: Du bist jetzt für *{partner}* zuständig; die Erinnerungen an "
        "Check-ins kommen ab jetzt zu dir.",
    },
    "ownership.promises_moved_one": {
        "en": "{count} open promise to them, made by someone who has left, is now in your hands.",
        "de": "{count} offene Zusage an sie, von jemandem, der nicht mehr da ist, liegt jetzt "
        "bei dir.",
    },
    "ownership.promises_moved": {
        "en": "{count} open promises to them, made by people who have left, are now in your hands.",
        "de": "{count} offene Zusagen an sie, von Leuten, die nicht mehr da sind, liegen jetzt "
        "bei dir.",
    },
    "ownership.promises_moved_to_one": {
        "en": "{count} open promise to them, made by someone who has left, is now with <@{owner}>.",
        "de": "{count} offene Zusage an sie, von jemandem, der nicht mehr da ist, liegt jetzt "
        "bei <@{owner}>.",
    },
    "ownership.promises_moved_to": {
        "en": "{count} open promises to them, made by people who have left, are now with "
        "<@{owner}>.",
        "de": "{count} offene Zusagen an sie, von Leuten, die nicht mehr da sind, liegen jetzt "
        "bei <@{owner}>.",
    },
    "ownership.unchanged": {
        "en": "<@{owner}> already looks after *{partner}*; nothing changed.",
        "de": "<@{owner}> ist schon für *{partner}* zuständig; es bleibt alles, wie es ist.",
    },
    "ownership.already_yours": {
        "en": ":information_source: You already look after *{partner}*.",
        "de": ":information_source: Du bist schon für *{partner}* zuständig.",
    },
    "ownership.taken_by_other": {
        "en": ":information_source: <@{owner}> took over *{partner}* in the meantime; it is "
        "theirs now.",
        "de": ":information_source: <@{owner}> hat *{partner}* inzwischen übernommen und ist "
        "jetzt zuständig.",
    },
    "ownership.gone": {
        "en": ":warning: That partner is not one of this workspace's partners (any more), so "
        "nothing changed.",
        "de": ":warning: Diesen Partner gibt es in diesem Workspace nicht (mehr), also hat sich "
        "nichts geändert.",
    },
    "ownership.list.title": {
        "en": "*Partners nobody looks after* ({count})",
        "de": "*Partner ohne Zuständige* ({count})",
    },
    "ownership.list.hint": {
        "en": "Their owners have left Slack, or they never had one. Take one over and its "
        "check-in nudges come to you.",
        "de": "Wer zuständig war, ist nicht mehr in Slack, oder es gab nie jemanden. Übernimm "
        "einen, dann kommen seine Check-in-Erinnerungen zu dir.",
    },
    "ownership.list.empty": {
        "en": ":white_check_mark: Every partner has an active owner: nobody falls through the "
        "cracks.",
        "de": ":white_check_mark: Für jeden Partner ist jemand Aktives zuständig: niemand fällt "
        "durchs Raster.",
    },
    "ownership.list.formerly": {
        "en": "formerly looked after by <@{user}>",
        "de": "zuvor zuständig: <@{user}>",
    },
    "ownership.list.never_owned": {"en": "never had an owner", "de": "nie jemand zuständig"},
    "ownership.list.no_contact": {"en": "no contact logged", "de": "kein Kontakt erfasst"},
    "ownership.list.contact_today": {"en": "last contact today", "de": "letzter Kontakt heute"},
    "ownership.list.contact_yesterday": {
        "en": "last contact yesterday",
        "de": "letzter Kontakt gestern",
    },
    "ownership.list.contact_days": {
        "en": "last contact {days} days ago",
        "de": "letzter Kontakt vor {days} Tagen",
    },
    "ownership.list.more": {
        "en": "…and {count} more. Take some over to see the rest.",
        "de": "…und {count} weitere. Übernimm welche, dann siehst du den Rest.",
    },
    "ownership.button.take_over": {"en": "Take over", "de": "Übernehmen"},
    "ownership.problem.title": {
        "en": ":warning: Nothing changed. {problem}",
        "de": ":warning: Es hat sich nichts geändert. {problem}",
    },
    "ownership.problem.usage": {
        "en": "Name the partner, then mention who should look after it.",
        "de": "Nenne den Partner und dann mit @, wer zuständig sein soll.",
    },
    "ownership.problem.name_too_long": {
        "en": "That name is longer than any partner's: names and organisations have at most "
        "{limit} characters.",
        "de": "Dieser Name ist länger als der jedes Partners: Namen und Organisationen haben "
        "höchstens {limit} Zeichen.",
    },
    "ownership.problem.no_partner": {
        "en": "I don't know a partner called “{name}”.",
        "de": "Einen Partner namens „{name}“ kenne ich nicht.",
    },
    "ownership.problem.ambiguous": {
        "en": "Several partners are called “{name}”: {choices}. Write the organisation in "
        "parentheses to say which, like `{example}`.",
        "de": "Mehrere Partner heißen „{name}“: {choices}. Schreib die Organisation in "
        "Klammern dazu, um einen zu wählen, etwa `{example}`.",
    },
    "ownership.problem.not_allowed": {
        "en": "<@{owner}> looks after *{partner}*; only they or a Slack workspace admin can "
        "hand it over.",
        "de": "Für *{partner}* ist <@{owner}> zuständig; nur diese Person oder jemand mit "
        "Admin-Rechten im Slack-Workspace kann den Partner übergeben.",
    },
    "ownership.problem.external": {
        "en": "<@{user}> is outside this workspace (Slack Connect); a colleague has to look "
        "after a partner.",
        "de": "<@{user}> gehört nicht zu diesem Workspace (Slack Connect); zuständig kann nur "
        "jemand aus dem eigenen Team sein.",
    },
    "ownership.problem.bot": {
        "en": "<@{user}> is an app; a person has to look after a partner.",
        "de": "<@{user}> ist eine App; zuständig kann nur ein Mensch sein.",
    },
    "ownership.problem.inactive": {
        "en": "<@{user}> is no longer active in this Slack workspace.",
        "de": "<@{user}> ist in diesem Slack-Workspace nicht mehr aktiv.",
    },
    "ownership.problem.unknown_user": {
        "en": "I couldn't find <@{user}> in Slack. Check the mention.",
        "de": "<@{user}> finde ich in Slack nicht. Prüfe die Erwähnung.",
    },
    "ownership.problem.guest": {
        "en": "<@{user}> is a guest in this workspace; only the company's own members can look "
        "after a partner.",
        "de": "<@{user}> ist Gast in diesem Workspace; zuständig können nur die eigenen "
        "Mitglieder der Firma sein.",
    },
    # --- partner cards and profiles (`/rapport partner NAME`, its buttons and forms) -----------
    "card.title": {
        "en": ":bust_in_silhouette: *{partner}*",
        "de": ":bust_in_silhouette: *{partner}*",
    },
    "card.fallback": {
        "en": "Partner card: {partner}. Owner: {owner}. Status: {status}.",
        "de": "Partnerkarte: {partner}. Zuständig: {owner}. Status: {status}.",
    },
    "card.field.organisation": {"en": "Organisation", "de": "Organisation"},
    "card.field.owner": {"en": "Looked after by", "de": "Zuständig"},
    "card.field.slack": {"en": "In Slack", "de": "In Slack"},
    "card.field.email": {"en": "E-mail", "de": "E-Mail"},
    "card.field.zone": {"en": "Time zone", "de": "Zeitzone"},
    "card.field.hours": {"en": "Business hours", "de": "Geschäftszeiten"},
    "card.field.channel": {"en": "Prefers", "de": "Bevorzugt"},
    "card.field.language": {"en": "Language", "de": "Sprache"},
    "card.field.cadence": {"en": "Check-in cadence", "de": "Check-in-Rhythmus"},
    "card.field.status": {"en": "Status", "de": "Status"},
    "card.field.next_check_in": {"en": "Next check-in", "de": "Nächster Check-in"},
    "card.unset": {"en": "not set", "de": "nicht festgelegt"},
    "card.nobody": {"en": "nobody", "de": "niemand"},
    # An owner who left or became a guest: named as the one it had, as the lists name them.
    "card.owner_gone": {"en": "nobody (was {user})", "de": "niemand (zuvor {user})"},
    # A live claim on the card: why the owner gets no check-in nudges meanwhile.
    "claim.card": {
        "en": ":raising_hand: {user} is on it until {day} and gets its check-in nudges until then.",
        "de": ":raising_hand: {user} kümmert sich bis {day} und bekommt bis dahin die "
        "Check-in-Erinnerungen.",
    },
    "claim.card_mine": {
        "en": ":raising_hand: You are on it until {day}: its check-in nudges come to you until "
        "then.",
        "de": ":raising_hand: Du kümmerst dich bis {day}: bis dahin bekommst du die "
        "Check-in-Erinnerungen.",
    },
    "card.not_in_slack": {"en": "no Slack account", "de": "kein Slack-Konto"},
    "card.zone": {"en": "{tz}, {time} there now", "de": "{tz}, dort jetzt {time}"},
    "card.zone_typed": {"en": "(set by hand)", "de": "(von Hand gesetzt)"},
    "card.zone_from_slack": {
        "en": ":clock3: Slack gave the time zone: {zones}. The card goes by it from now on.",
        "de": (
            ":clock3: Slack hat die Zeitzone genannt: {zones}. "
            "Die Karte richtet sich ab jetzt danach."
        ),
    },
    "card.zone_unknown": {"en": "not known", "de": "unbekannt"},
    "card.hours": {"en": "{days}, {start}–{end}", "de": "{days}, {start}–{end}"},
    "card.hours_unset": {
        "en": "{days}, {start}–{end} (not set: the default)",
        "de": "{days}, {start}–{end} (nicht festgelegt: der Standard)",
    },
    "card.language.en": {"en": "English", "de": "Englisch"},
    "card.language.de": {"en": "German", "de": "Deutsch"},
    "card.cadence": {"en": "every {days} days", "de": "alle {days} Tage"},
    "card.status.active": {"en": "active", "de": "aktiv"},
    "card.status.paused": {
        "en": "paused until resumed",
        "de": "pausiert, bis jemand fortsetzt",
    },
    "card.status.paused_until": {"en": "paused until {day}", "de": "pausiert bis {day}"},
    "card.next_check_in.none": {
        "en": "none yet: counted from the first contact",
        "de": "noch keiner: gezählt ab dem ersten Kontakt",
    },
    "card.next_check_in.paused": {"en": "none while paused", "de": "keiner, solange pausiert"},
    "card.next_check_in.due": {"en": "due since {day}", "de": "fällig seit {day}"},
    "card.contacts.title": {
        "en": "*Last contacts* ({shown} of {total})",
        "de": "*Letzte Kontakte* ({shown} von {total})",
    },
    "card.contacts.none": {"en": "No contact logged yet.", "de": "Noch kein Kontakt erfasst."},
    "card.contact.line": {
        "en": "*{when}* · {medium} · {kind} · <@{by}>",
        "de": "*{when}* · {medium} · {kind} · <@{by}>",
    },
    "card.promises.ours": {
        "en": "*Our open promises to them* ({count})",
        "de": "*Unsere offenen Zusagen an den Partner* ({count})",
    },
    "card.promises.theirs": {
        "en": "*Their open promises to us* ({count})",
        "de": "*Offene Zusagen des Partners an uns* ({count})",
    },
    "card.promise.line": {
        "en": "• {text}, due {day} (<@{by}>)",
        "de": "• {text}, fällig {day} (<@{by}>)",
    },
    "card.promise.overdue": {
        "en": "• {text}, :warning: overdue since {day} (<@{by}>)",
        "de": "• {text}, :warning: überfällig seit {day} (<@{by}>)",
    },
    "card.promises.more": {
        "en": "…and {count} more: *All promises* below lists them.",
        "de": "…und {count} weitere: *Alle Zusagen* unten listet sie auf.",
    },
    # The viewer's own figure for this partner, never anyone else's (`bot.blocks.partner_card`).
    "card.reliability": {
        "en": "Your promises to {partner}: {kept} of {due} kept on time (last {days} days)",
        "de": "Deine Zusagen an {partner}: {kept} von {due} rechtzeitig gehalten "
        "(letzte {days} Tage)",
    },
    "card.their_promise.menu": {"en": "Received or drop…", "de": "Erhalten oder verwerfen…"},
    "card.their_promise.received": {"en": "Received", "de": "Erhalten"},
    "card.their_promise.drop": {"en": "Drop", "de": "Verwerfen"},
    # What Received or Drop on one of their promises did (on the card and in a nudge DM).
    "their_promise.done.received": {
        "en": ":white_check_mark: Marked as received: {text} (from *{partner}*).",
        "de": ":white_check_mark: Als erhalten markiert: {text} (von *{partner}*).",
    },
    "their_promise.done.drop": {
        "en": ":wastebasket: Dropped: {text} (from *{partner}*); it is no longer tracked.",
        "de": ":wastebasket: Verworfen: {text} (von *{partner}*); sie wird nicht mehr verfolgt.",
    },
    "their_promise.already": {
        "en": "That promise from *{partner}* ({text}) is already {status}; nothing changed.",
        "de": "Diese Zusage von *{partner}* ({text}) ist schon {status}; nichts geändert.",
    },
    "their_promise.status.kept": {"en": "marked as received", "de": "als erhalten markiert"},
    "their_promise.status.dropped": {"en": "dropped", "de": "verworfen"},
    "their_promise.status.renegotiated": {"en": "renegotiated", "de": "neu vereinbart"},
    "their_promise.status.open": {"en": "open", "de": "offen"},
    "their_promise.gone": {
        "en": "That promise is no longer there (removed, or not this partner's); nothing changed.",
        "de": "Diese Zusage gibt es nicht mehr (entfernt oder nicht von diesem Partner); nichts "
        "geändert.",
    },
    "card.page.title": {
        "en": "*Contacts with {partner}*: {first}–{last} of {total}, latest first",
        "de": "*Kontakte mit {partner}*: {first}–{last} von {total}, neueste zuerst",
    },
    "card.page.empty": {
        "en": "*Contacts with {partner}*: there are {total}, none this far back.",
        "de": "*Kontakte mit {partner}*: es sind {total}, so weit zurück keiner.",
    },
    "card.button.log": {"en": "Log contact", "de": "Kontakt erfassen"},
    "card.button.edit": {"en": "Edit profile", "de": "Profil bearbeiten"},
    "card.button.hand_over": {"en": "Hand over", "de": "Übergeben"},
    "card.button.pause": {"en": "Pause", "de": "Pausieren"},
    "card.button.resume": {"en": "Resume", "de": "Fortsetzen"},
    "card.button.older": {"en": "Older contacts", "de": "Ältere Kontakte"},
    "card.button.newer": {"en": "Newer contacts", "de": "Neuere Kontakte"},
    "card.button.back": {"en": "Back to the card", "de": "Zurück zur Karte"},
    "card.paused": {
        "en": ":double_vertical_bar: *{partner}* is paused: no check-in nudges until someone "
        "resumes it.",
        "de": ":double_vertical_bar: *{partner}* ist pausiert: keine Check-in-Erinnerungen, bis "
        "jemand fortsetzt.",
    },
    "card.resumed": {
        "en": ":arrow_forward: *{partner}* is active again; its check-ins are nudged as before.",
        "de": ":arrow_forward: *{partner}* ist wieder aktiv; an Check-ins wird wie zuvor erinnert.",
    },
    "card.already_paused": {
        "en": "*{partner}* was already paused; nothing changed.",
        "de": "*{partner}* war schon pausiert; nichts geändert.",
    },
    "card.already_active": {
        "en": "*{partner}* was already active; nothing changed.",
        "de": "*{partner}* war schon aktiv; nichts geändert.",
    },
    "card.gone": {
        "en": "That partner is no longer in this workspace's list; nothing changed.",
        "de": "Diesen Partner gibt es in diesem Workspace nicht mehr; nichts geändert.",
    },
    "card.no_partner": {
        "en": ":mag: I don't know a partner called *{name}*.",
        "de": ":mag: Einen Partner namens *{name}* kenne ich nicht.",
    },
    "card.did_you_mean": {"en": "Did you mean {names}?", "de": "Meintest du {names}?"},
    "card.try_search": {
        "en": "To look in names, organisations and e-mails: `/rapport partners search {name}`",
        "de": "In Namen, Organisationen und E-Mails suchen: `/rapport partner suchen {name}`",
    },
    "card.ambiguous": {
        "en": "Several partners are called *{name}*: {names}. Add the organisation in "
        "parentheses, like `{example}`.",
        "de": "Mehrere Partner heißen *{name}*: {names}. Nenne die Organisation in Klammern, "
        "etwa `{example}`.",
    },
    "card.not_known": {
        "en": "Rapport doesn't know you yet: send `/logcontact help` once, then try again.",
        "de": "Rapport kennt dich noch nicht: schick einmal `/logcontact hilfe` und versuch es "
        "dann noch einmal.",
    },
    "profile.saved": {
        "en": ":white_check_mark: Saved the profile of *{partner}*.",
        "de": ":white_check_mark: Das Profil von *{partner}* ist gespeichert.",
    },
    "profile.problem.title": {
        "en": ":warning: Nothing changed. {problem}",
        "de": ":warning: Es hat sich nichts geändert. {problem}",
    },
    "profile.problem.example": {
        "en": "Example: `/rapport partner Acme set tz Asia/Tokyo hours 9-18 days mon-fri "
        "prefers email lang en cadence 60 email ana@acme.example`",
        "de": "Beispiel: `/rapport partner Acme setze zeitzone Europe/Berlin zeiten 9-17 tage "
        "mo-fr bevorzugt telefon sprache de rhythmus 60 e-mail ana@acme.example`",
    },
    # The example after a problem with one setting's value: that setting alone.
    "profile.problem.example.tz": {
        "en": "Example: `/rapport partner Acme set tz Asia/Tokyo`",
        "de": "Beispiel: `/rapport partner Acme setze zeitzone Europe/Berlin`",
    },
    "profile.problem.example.hours": {
        "en": "Example: `/rapport partner Acme set hours 9-18`",
        "de": "Beispiel: `/rapport partner Acme setze zeiten 9-17`",
    },
    "profile.problem.example.days": {
        "en": "Example: `/rapport partner Acme set days mon-fri`",
        "de": "Beispiel: `/rapport partner Acme setze tage mo-fr`",
    },
    "profile.problem.example.channel": {
        "en": "Example: `/rapport partner Acme set prefers email`",
        "de": "Beispiel: `/rapport partner Acme setze bevorzugt telefon`",
    },
    "profile.problem.example.language": {
        "en": "Example: `/rapport partner Acme set lang en`",
        "de": "Beispiel: `/rapport partner Acme setze sprache de`",
    },
    "profile.problem.example.cadence": {
        "en": "Example: `/rapport partner Acme set cadence 60`",
        "de": "Beispiel: `/rapport partner Acme setze rhythmus 60`",
    },
    "profile.problem.example.email": {
        "en": "Example: `/rapport partner Acme set email ana@acme.example`",
        "de": "Beispiel: `/rapport partner Acme setze e-mail ana@acme.example`",
    },
    "profile.problem.example.organisation": {
        "en": 'Example: `/rapport partner Acme set org "Acme Ltd"`',
        "de": 'Beispiel: `/rapport partner Acme setze firma "Acme GmbH"`',
    },
    "profile.problem.example.holidays": {
        "en": "Example: `/rapport partner Acme set public-holidays JP`",
        "de": "Beispiel: `/rapport partner Acme setze feiertage DE-BY`",
    },
    "profile.problem.example.max_contacts": {
        "en": "Example: `/rapport partner Acme set max-contacts 5`",
        "de": "Beispiel: `/rapport partner Acme setze kontaktgrenze 5`",
    },
    "profile.problem.empty": {
        "en": "Say what to set after `set`: `tz`, `hours`, `days`, `prefers`, `lang`, "
        "`cadence`, `email`, `org`, `public-holidays` or `max-contacts`.",
        "de": "Nenne nach `setze`, was du festlegen willst: `zeitzone`, `zeiten`, `tage`, "
        "`bevorzugt`, `sprache`, `rhythmus`, `e-mail`, `firma`, `feiertage` oder "
        "`kontaktgrenze`.",
    },
    "profile.problem.unknown_word": {
        "en": "“{word}” is not part of a profile: start with `tz`, `hours`, `days`, `prefers`, "
        "`lang`, `cadence`, `email`, `org`, `public-holidays` or `max-contacts`.",
        "de": "„{word}“ gehört nicht zu einem Profil: beginne mit `zeitzone`, `zeiten`, `tage`, "
        "`bevorzugt`, `sprache`, `rhythmus`, `e-mail`, `firma`, `feiertage` oder "
        "`kontaktgrenze`.",
    },
    "profile.problem.repeated": {
        "en": "“{word}” comes twice; say it once.",
        "de": "„{word}“ steht zweimal da; nenne es einmal.",
    },
    "profile.problem.missing": {
        "en": "“{word}” needs a value after it.",
        "de": "Nach „{word}“ fehlt der Wert.",
    },
    "profile.problem.bad_zone": {
        "en": "“{value}” is not a time zone I know: use an IANA name like `Asia/Tokyo`, "
        "`Europe/Berlin` or `America/New_York`.",
        "de": "„{value}“ ist keine Zeitzone, die ich kenne: nimm einen IANA-Namen wie "
        "`Europe/Berlin`, `Asia/Tokyo` oder `America/New_York`.",
    },
    "profile.problem.hours_missing": {
        "en": "Which hours? Give a start and an end after “{word}”, like 9-18.",
        "de": "Welche Zeiten? Gib nach „{word}“ Beginn und Ende an, etwa 9-18.",
    },
    "profile.problem.bad_hours": {
        "en": "I couldn't read “{value}” as business hours: give a start and an end, like 9-18 "
        "or 9:30-17:30.",
        "de": "„{value}“ kann ich nicht als Geschäftszeiten lesen: gib Beginn und Ende an, etwa "
        "9-18 oder 9:30-17:30.",
    },
    "profile.problem.bad_time": {
        "en": "“{time}” is not a time of day: hours go from 0 to 24, minutes from 0 to 59.",
        "de": "„{time}“ ist keine Uhrzeit: Stunden gehen von 0 bis 24, Minuten von 0 bis 59.",
    },
    "profile.problem.overnight": {
        "en": "Business hours have to end after they start, and {start}–{end} does not. For an "
        "afternoon hour write 17 or 5pm.",
        "de": "Geschäftszeiten müssen nach ihrem Beginn enden, {start}–{end} tut das nicht. Eine "
        "Uhrzeit am Nachmittag schreibst du als 17 oder 17 Uhr.",
    },
    "profile.problem.days_missing": {
        "en": "Which days? Name at least one after “{word}”, like mon-fri.",
        "de": "Welche Tage? Nenne nach „{word}“ mindestens einen, etwa mo-fr.",
    },
    "profile.problem.bad_day": {
        "en": "I don't know the day “{day}”: use mon tue wed thu fri sat sun, full names, or "
        "ranges like mon-fri.",
        "de": "Den Tag „{day}“ kenne ich nicht: nimm mo di mi do fr sa so, die vollen Namen "
        "oder Bereiche wie mo-fr.",
    },
    "profile.problem.bad_channel": {
        "en": "“{value}” is not a channel: use `email`, `phone`, `meeting` or `slack`.",
        "de": "„{value}“ ist kein Kanal: nimm `e-mail`, `telefon`, `treffen` oder `slack`.",
    },
    "profile.problem.language_missing": {
        "en": "Which language? Name one after “{word}”: `en` or `de`.",
        "de": "Welche Sprache? Nenne nach „{word}“ eine: `de` oder `en`.",
    },
    "profile.problem.bad_language": {
        "en": "I don't know the language “{value}” for a partner: use `en` or `de`.",
        "de": "Die Sprache „{value}“ kenne ich für einen Partner nicht: nimm `de` oder `en`.",
    },
    "profile.problem.bad_cadence": {
        "en": "I couldn't read “{value}” as a cadence: give days, like `60`, `60d`, `8 weeks` "
        "or `3 months`.",
        "de": "„{value}“ kann ich nicht als Rhythmus lesen: gib Tage an, etwa `60`, `60d`, "
        "`8 Wochen` oder `3 Monate`.",
    },
    "profile.problem.cadence_range": {
        "en": "A cadence of “{value}” is out of range: between {min} and {max} days.",
        "de": "Ein Rhythmus von „{value}“ geht nicht: zwischen {min} und {max} Tagen.",
    },
    "profile.problem.bad_email": {
        "en": "“{value}” is not an e-mail address, like `ana@acme.example`.",
        "de": "„{value}“ ist keine E-Mail-Adresse wie `ana@acme.example`.",
    },
    "profile.problem.bad_organisation": {
        "en": "“{value}” can't be an organisation's name (too long, or a character a name may "
        "not hold).",
        "de": "„{value}“ kann kein Name einer Organisation sein (zu lang, oder ein Zeichen, das "
        "ein Name nicht enthalten darf).",
    },
    "profile.problem.organisation_taken": {
        "en": "Another partner is already called *{partner}*.",
        "de": "Ein anderer Partner heißt schon *{partner}*.",
    },
    "profile.modal.title": {"en": "Partner profile", "de": "Partnerprofil"},
    "profile.modal.submit": {"en": "Save", "de": "Speichern"},
    "profile.modal.close": {"en": "Cancel", "de": "Abbrechen"},
    "profile.modal.zone": {"en": "Time zone (IANA name)", "de": "Zeitzone (IANA-Name)"},
    "profile.modal.zone_hint": {
        "en": "Like Asia/Tokyo. Empty: follow their Slack profile, if they have one.",
        "de": "Etwa Europe/Berlin. Leer: wie in ihrem Slack-Profil, falls es eins gibt.",
    },
    "profile.modal.hours": {"en": "Business hours", "de": "Geschäftszeiten"},
    "profile.modal.hours_hint": {
        "en": "Like 9-18, 9:30-17:30 or 9am-5pm.",
        "de": "Etwa 9-18, 9:30-17:30 oder 9 bis 17 Uhr.",
    },
    "profile.modal.days": {"en": "Business days", "de": "Geschäftstage"},
    "profile.modal.channel": {"en": "Preferred channel", "de": "Bevorzugter Kanal"},
    "profile.modal.language": {"en": "Language", "de": "Sprache"},
    "profile.modal.cadence": {"en": "Check-in every … days", "de": "Check-in alle … Tage"},
    "profile.modal.email": {"en": "E-mail", "de": "E-Mail"},
    "profile.modal.organisation": {"en": "Organisation", "de": "Organisation"},
    "profile.modal.unset": {"en": "not set", "de": "nicht festgelegt"},
    "handover.modal.title": {"en": "Hand over", "de": "Übergeben"},
    "handover.modal.submit": {"en": "Hand over", "de": "Übergeben"},
    "handover.modal.owner": {
        "en": "Who looks after {partner} from now on?",
        "de": "Wer ist ab jetzt für {partner} zuständig?",
    },
    # --- hours that could be read two ways ("1-5pm": 1:00 or 13:00), in settings and profiles
    "settings.problem.ambiguous_hours": {
        "en": "“{value}” could mean {first} or {second}, and I won't guess: type the one you "
        "mean as it is written here, or with am/pm on both times (1pm-5pm).",
        "de": "„{value}“ kann {first} oder {second} heißen, und ich rate nicht: gib die "
        "gemeinte Zeit so ein, wie sie hier steht, oder mit am/pm bei beiden Uhrzeiten.",
    },
    # --- public holidays: a member's setting (and a partner profile's field) ---
    "settings.public_holidays.chosen": {
        "en": "Public holidays: {region}, set by hand; no nudges on them.",
        "de": "Feiertage: {region}, von Hand gesetzt; an ihnen keine Erinnerungen.",
    },
    "settings.public_holidays.zone": {
        "en": "Public holidays: {region}, from your time zone {tz}; no nudges on them.",
        "de": "Feiertage: {region}, aus deiner Zeitzone {tz}; an ihnen keine Erinnerungen.",
    },
    "settings.public_holidays.off": {
        "en": "Public holidays: none, set by hand; nudges come on public holidays too.",
        "de": "Feiertage: keine, von Hand gesetzt; Erinnerungen kommen auch an Feiertagen.",
    },
    "settings.public_holidays.no_country": {
        "en": "Public holidays: none, since your time zone {tz} belongs to no country; choose "
        "a region to have them.",
        "de": "Feiertage: keine, denn deine Zeitzone {tz} gehört zu keinem Land; wähle eine "
        "Region, um sie zu bekommen.",
    },
    "settings.public_holidays.unsupported": {
        "en": "Public holidays: none, since the holiday calendar does not know {country} (from "
        "your time zone {tz}); choose a region to have them.",
        "de": "Feiertage: keine, denn der Feiertagskalender kennt {country} (aus deiner "
        "Zeitzone {tz}) nicht; wähle eine Region, um sie zu bekommen.",
    },
    "settings.example_public_holidays": {
        "en": "/rapport settings public-holidays DE-BY",
        "de": "/rapport einstellungen feiertage DE-BY",
    },
    "settings.problem.region_missing": {
        "en": "Which public holidays? After “{word}”, give a country code and, if you like, a "
        "region: `DE`, `DE-BY`, `US-CA`, `JP`; or `none`, or `auto` for your time zone's "
        "country.",
        "de": "Welche Feiertage? Gib nach „{word}“ ein Länderkürzel und, wenn du magst, eine "
        "Region an: `DE`, `DE-BY`, `AT-9`, `CH-ZH`; oder `keine`, oder `auto` für das Land "
        "deiner Zeitzone.",
    },
    "settings.problem.unknown_country": {
        "en": "I don't know public holidays for the country “{value}”: give a two-letter "
        "country code like `DE`, `AT`, `US` or `JP`, with a region after a dash if you like "
        "(`DE-BY`).",
        "de": "Für das Land „{value}“ kenne ich keine Feiertage: gib ein Länderkürzel mit zwei "
        "Buchstaben an, etwa `DE`, `AT`, `CH` oder `US`, wenn du magst mit Region nach einem "
        "Bindestrich (`DE-BY`).",
    },
    "settings.problem.unknown_subdivision": {
        "en": "{country} has no region “{value}”. Its regions: {regions}. Write it as "
        "`{country}-` and the code, or `{country}` alone for the nationwide holidays.",
        "de": "{country} hat keine Region „{value}“. Seine Regionen: {regions}. Schreib sie "
        "als `{country}-` und das Kürzel, oder nur `{country}` für die landesweiten Feiertage.",
    },
    "settings.problem.no_subdivisions": {
        "en": "{country} has no regions with holidays of their own, so “{value}” cannot be "
        "one: write `{country}` alone.",
        "de": "{country} hat keine Regionen mit eigenen Feiertagen, „{value}“ kann also keine "
        "sein: schreib nur `{country}`.",
    },
    "card.field.public_holidays": {"en": "Public holidays", "de": "Feiertage"},
    "card.public_holidays.typed": {
        "en": "{region}, set by hand",
        "de": "{region}, von Hand gesetzt",
    },
    "card.public_holidays.zone": {
        "en": "{region}, from their time zone",
        "de": "{region}, aus ihrer Zeitzone",
    },
    "card.public_holidays.off": {"en": "none (set by hand)", "de": "keine (von Hand gesetzt)"},
    "card.public_holidays.no_country": {
        "en": "none: their time zone names no country",
        "de": "keine: ihre Zeitzone nennt kein Land",
    },
    "card.public_holidays.zone_unknown": {
        "en": "from their time zone, once it is known",
        "de": "aus ihrer Zeitzone, sobald sie bekannt ist",
    },
    "card.public_holiday_today": {
        "en": "(a public holiday there today: {name})",
        "de": "(dort heute Feiertag: {name})",
    },
    "profile.problem.unknown_country": {
        "en": "I don't know public holidays for the country “{value}”: give a two-letter "
        "country code like `DE`, `AT`, `US` or `JP`, with a region after a dash if you like "
        "(`DE-BY`); `none` for no public holidays, `auto` for those of their time zone's "
        "country.",
        "de": "Für das Land „{value}“ kenne ich keine Feiertage: gib ein Länderkürzel mit zwei "
        "Buchstaben an, etwa `DE`, `AT`, `CH` oder `US`, wenn du magst mit Region nach einem "
        "Bindestrich (`DE-BY`); `keine` für keine Feiertage, `auto` für die des Landes ihrer "
        "Zeitzone.",
    },
    "profile.problem.unknown_subdivision": {
        "en": "{country} has no region “{value}”. Its regions: {regions}. Write it as "
        "`{country}-` and the code, or `{country}` alone for the nationwide holidays.",
        "de": "{country} hat keine Region „{value}“. Seine Regionen: {regions}. Schreib sie "
        "als `{country}-` und das Kürzel, oder nur `{country}` für die landesweiten Feiertage.",
    },
    "profile.problem.no_subdivisions": {
        "en": "{country} has no regions with holidays of their own, so “{value}” cannot be "
        "one: write `{country}` alone.",
        "de": "{country} hat keine Regionen mit eigenen Feiertagen, „{value}“ kann also keine "
        "sein: schreib nur `{country}`.",
    },
    "profile.modal.public_holidays": {"en": "Public holidays", "de": "Feiertage"},
    "profile.modal.public_holidays_none": {"en": "none", "de": "keine"},
    "profile.modal.public_holidays_hint": {
        "en": "Country and region, like DE-BY or JP; none for no public holidays. Empty: those "
        "of their time zone's country{now}.",
        "de": "Land und Region, etwa DE-BY oder JP; keine für keine Feiertage. Leer: die des "
        "Landes ihrer Zeitzone{now}.",
    },
    "registry.merge.field.holidays": {"en": "public holidays", "de": "Feiertage"},
    "profile.problem.ambiguous_hours": {
        "en": "“{value}” could mean {first} or {second}, and I won't guess: type the one you "
        "mean as it is written here, or with am/pm on both times (1pm-5pm).",
        "de": "„{value}“ kann {first} oder {second} heißen, und ich rate nicht: gib die "
        "gemeinte Zeit so ein, wie sie hier steht, oder mit am/pm bei beiden Uhrzeiten.",
    },
    # --- the Edit profile form's days when none are typed: the default applies
    "profile.modal.days_default": {
        "en": "{days} (the default)",
        "de": "{days} (Standard)",
    },
    "profile.modal.days_hint": {
        "en": "None picked: {days} applies. Pick days only where they differ.",
        "de": "Keine gewählt: es gilt {days}. Wähle nur Tage, wenn sie abweichen.",
    },
    # --- a card's paging button with a value no card made
    "card.page.stale": {
        "en": ":information_source: That button no longer leads anywhere; nothing changed. Type "
        "`/rapport partner {partner}` again and page from the new card.",
        "de": ":information_source: Diese Schaltfläche führt nirgends mehr hin; nichts geändert. "
        "Gib `/rapport partner {partner}` noch einmal ein und blättere von der neuen Karte aus.",
    },
    "card.stale": {
        "en": ":information_source: That menu no longer leads anywhere; nothing changed. Type "
        "`/rapport partner NAME` again for a new card.",
        "de": ":information_source: Dieses Menü führt nirgends mehr hin; nichts geändert. Gib "
        "`/rapport partner NAME` noch einmal ein, dann kommt eine neue Karte.",
    },
    # --- a list that fits on one page counts its rows instead of a range
    "rapport.list.count.partners_one": {"en": "{count} partner", "de": "{count} Partner"},
    "rapport.list.count.partners": {"en": "{count} partners", "de": "{count} Partner"},
    "rapport.list.count.promises_one": {
        "en": "{count} open promise",
        "de": "{count} offene Zusage",
    },
    "rapport.list.count.promises": {
        "en": "{count} open promises",
        "de": "{count} offene Zusagen",
    },
    "card.page.all": {
        "en": "*Contacts with {partner}* ({total}), latest first",
        "de": "*Kontakte mit {partner}* ({total}), neueste zuerst",
    },
    "card.contacts.all": {
        "en": "*Last contacts* ({total})",
        "de": "*Letzte Kontakte* ({total})",
    },
    # --- the example after "several partners are called …", as the command that was typed
    "card.example.show": {"en": "/rapport partner {partner}", "de": "/rapport partner {partner}"},
    "card.example.set": {
        "en": "/rapport partner {partner} set {assignments}",
        "de": "/rapport partner {partner} set {assignments}",
    },
    "card.example.rename": {
        "en": "/rapport partner {partner} rename {new}",
        "de": "/rapport partner {partner} umbenennen {new}",
    },
    "card.example.forget": {
        "en": "/rapport forget {partner}",
        "de": "/rapport vergessen {partner}",
    },
    # --- All promises: a partner's open promises both ways, a page at a time, from the card
    "card.button.promises": {"en": "All promises", "de": "Alle Zusagen"},
    "card.button.promises_previous": {"en": "Previous promises", "de": "Vorherige Zusagen"},
    "card.button.promises_next": {"en": "More promises", "de": "Weitere Zusagen"},
    "card.promises.page.title": {
        "en": "*Open promises with {partner}*: {first}–{last} of {total}, ours first",
        "de": "*Offene Zusagen mit {partner}*: {first}–{last} von {total}, unsere zuerst",
    },
    "card.promises.page.all": {
        "en": "*Open promises with {partner}* ({total}), ours first",
        "de": "*Offene Zusagen mit {partner}* ({total}), unsere zuerst",
    },
    "card.promises.page.empty": {
        "en": "*Open promises with {partner}*: there are {total}, none this far on.",
        "de": "*Offene Zusagen mit {partner}*: es sind {total}, so weit hinten keine.",
    },
    # --- renaming and forgetting a partner (`/rapport partner NAME rename NEW`, `forget`) ---------
    "registry.rename.done": {
        "en": ":pencil2: *{old}* is now called *{new}*.",
        "de": ":pencil2: *{old}* heißt jetzt *{new}*.",
    },
    "registry.rename.not_allowed": {
        "en": ":no_entry: {owner} looks after *{partner}*; only they or a Slack workspace admin "
        "can rename it. Nothing changed.",
        "de": ":no_entry: Für *{partner}* ist {owner} zuständig; nur diese Person oder jemand mit "
        "Admin-Rechten im Slack-Workspace kann den Partner umbenennen. Es hat sich nichts "
        "geändert.",
    },
    "registry.rename.same": {
        "en": "*{partner}* is already called that: nothing changed.",
        "de": "*{partner}* heißt schon so: Es hat sich nichts geändert.",
    },
    "registry.rename.taken": {
        "en": ":warning: I couldn't rename *{partner}*: another partner is already called "
        "*{new}*. Pick another name, or add an organisation in parentheses, like "
        '`"{name}" (Organisation)`. If the two are one partner kept twice, '
        "`/rapport merge {typed} into {taken_typed}` makes them one.",
        "de": ":warning: Ich konnte *{partner}* nicht umbenennen: Ein anderer Partner heißt schon "
        "*{new}*. Wähle einen anderen Namen, oder füge eine Organisation in Klammern an, etwa "
        '`"{name}" (Organisation)`. Ist es derselbe Partner, doppelt erfasst, macht '
        "`/rapport zusammenführen {typed} in {taken_typed}` einen daraus.",
    },
    "registry.rename.problem.title": {
        "en": ":warning: I couldn't rename *{partner}*. {problem}",
        "de": ":warning: Ich konnte *{partner}* nicht umbenennen. {problem}",
    },
    "registry.rename.problem.address": {
        "en": "A web or mail address can't name a partner or an organisation (`{address}`), and "
        "a link's text may name another site than the one it leads to. Type the name itself, "
        "without the link.",
        "de": "Eine Web- oder Mailadresse kann keinen Partner und keine Organisation benennen "
        "(`{address}`), und der Text eines Links kann eine andere Seite nennen als die, zu der "
        "er führt. Tippe den Namen selbst, ohne Link.",
    },
    "registry.rename.problem.character": {
        "en": "The new name has a character that can't be part of a name ({char}, character "
        "{position}): it is invisible and turns how the text around it reads, or leaves the "
        "name blank. Retype the name without it.",
        "de": "Der neue Name enthält ein Zeichen, das nicht Teil eines Namens sein kann ({char}, "
        "Zeichen {position}): Es ist unsichtbar und dreht, wie der Text darum herum gelesen "
        "wird, oder lässt den Namen leer. Tippe den Namen ohne es neu.",
    },
    "registry.rename.problem.empty": {
        "en": "What should the partner be called? Type the new name after `rename`.",
        "de": "Wie soll der Partner heißen? Tippe den neuen Namen nach `umbenennen`.",
    },
    "registry.rename.problem.too_long": {
        "en": "The new name has {length} characters; at most {limit} fit.",
        "de": "Der neue Name hat {length} Zeichen; höchstens {limit} passen.",
    },
    "registry.rename.example": {
        "en": 'For example: `/rapport partner Acme rename "Acme Corp" (Acme Holding)`',
        "de": 'Zum Beispiel: `/rapport partner Acme umbenennen "Acme AG" (Acme Holding)`',
    },
    "registry.forget.usage": {
        "en": "Which partner should I forget? Name it: `/rapport forget Acme`.",
        "de": "Welchen Partner soll ich vergessen? Nenne ihn: `/rapport vergessen Acme`.",
    },
    "registry.forget.not_allowed": {
        "en": ":no_entry: Only whoever looks after *{partner}* ({owner}) or a workspace admin "
        "can make Rapport forget it. Nothing was changed.",
        "de": ":no_entry: Nur wer für *{partner}* zuständig ist ({owner}) oder ein Workspace-Admin "
        "kann Rapport den Partner vergessen lassen. Es wurde nichts geändert.",
    },
    "registry.forget.not_allowed_unowned": {
        "en": ":no_entry: Nobody looks after *{partner}*, so only a workspace admin can make "
        "Rapport forget it. Nothing was changed.",
        "de": ":no_entry: Für *{partner}* ist niemand zuständig, darum kann nur ein "
        "Workspace-Admin Rapport den Partner vergessen lassen. Es wurde nichts geändert.",
    },
    "registry.forget.confirm": {
        "en": ":warning: *Forget {partner}?* This erases the partner and everything Rapport "
        "keeps about it, for everyone in the workspace:",
        "de": ":warning: *{partner} vergessen?* Das löscht den Partner und alles, was Rapport "
        "über ihn weiß, für alle im Workspace:",
    },
    "registry.forget.counts": {
        "en": "• contacts: {contacts}\n• promises, both ways: {promises}\n"
        "• nudges not yet sent: {nudges}",
        "de": "• Kontakte: {contacts}\n• Zusagen in beide Richtungen: {promises}\n"
        "• noch nicht gesendete Erinnerungen: {nudges}",
    },
    "registry.forget.warning": {
        "en": "It cannot be undone. Nudge DMs Slack already shows stay in Slack. The question "
        "expires in {minutes} minutes.",
        "de": "Das lässt sich nicht rückgängig machen. Erinnerungen, die Slack schon anzeigt, "
        "bleiben in Slack. Die Frage verfällt nach {minutes} Minuten.",
    },
    "registry.forget.button": {"en": "Forget {partner}", "de": "{partner} vergessen"},
    "registry.forget.cancel": {"en": "Cancel", "de": "Abbrechen"},
    "registry.forget.done": {
        "en": ":wastebasket: Rapport has forgotten *{partner}*, and erased with it, as the "
        "question said:\n{counts}",
        "de": ":wastebasket: Rapport hat *{partner}* vergessen und mit dem Partner gelöscht, wie "
        "angekündigt:\n{counts}",
    },
    "registry.forget.cancelled": {
        "en": "Cancelled: nothing was forgotten.",
        "de": "Abgebrochen: Es wurde nichts vergessen.",
    },
    "registry.forget.expired": {
        "en": ":hourglass: That question has expired, and nothing was forgotten. Ask again: "
        "`/rapport forget NAME`.",
        "de": ":hourglass: Diese Frage ist verfallen, und es wurde nichts vergessen. Frag noch "
        "einmal: `/rapport vergessen NAME`.",
    },
    "registry.forget.not_yours": {
        "en": ":no_entry: That question was for someone else: nothing was forgotten.",
        "de": ":no_entry: Diese Frage war an jemand anderen gerichtet: Es wurde nichts vergessen.",
    },
    "registry.forget.gone": {
        "en": "That partner is no longer in Rapport: nothing more to forget.",
        "de": "Diesen Partner gibt es in Rapport nicht mehr: Es gibt nichts mehr zu vergessen.",
    },
    # --- merging a partner into another (`/rapport merge NAME into OTHER`) ---------------------
    "registry.merge.usage": {
        "en": "Which partner goes into which? Name both: `/rapport merge Acme Ltd into Acme` "
        "moves everything about Acme Ltd to Acme and removes Acme Ltd.",
        "de": "Welcher Partner geht in welchem auf? Nenne beide: `/rapport zusammenführen Acme "
        "Ltd in Acme` verschiebt alles über Acme Ltd zu Acme und entfernt Acme Ltd.",
    },
    "registry.merge.same": {
        "en": "*{partner}* and *{into}* are the same partner: there is nothing to merge. "
        "Nothing was changed.",
        "de": "*{partner}* und *{into}* sind derselbe Partner: Es gibt nichts zusammenzuführen. "
        "Es wurde nichts geändert.",
    },
    "registry.merge.two_people": {
        "en": ":no_entry: *{partner}* and *{into}* are two different people in Slack "
        "({user} and {into_user}), so Rapport keeps them apart. Nothing was changed.",
        "de": ":no_entry: *{partner}* und *{into}* sind in Slack zwei verschiedene Personen "
        "({user} und {into_user}), darum hält Rapport sie getrennt. Es wurde nichts geändert.",
    },
    "registry.merge.not_allowed": {
        "en": ":no_entry: Only whoever looks after both partners, or a workspace admin, can merge "
        "them: *{partner}* is looked after by {owner}, *{into}* by {into_owner}. Nothing was "
        "changed.",
        "de": ":no_entry: Nur wer für beide Partner zuständig ist, oder ein Workspace-Admin, kann "
        "sie zusammenführen: Für *{partner}* ist {owner} zuständig, für *{into}* {into_owner}. "
        "Es wurde nichts geändert.",
    },
    "registry.merge.not_allowed_same": {
        "en": ":no_entry: Only whoever looks after both partners, or a workspace admin, can merge "
        "them: {owner} looks after *{partner}* and *{into}*, so ask them. Nothing was changed.",
        "de": ":no_entry: Nur wer für beide Partner zuständig ist, oder ein Workspace-Admin, kann "
        "sie zusammenführen: {owner} ist für *{partner}* und *{into}* zuständig, bitte {owner} "
        "darum. Es wurde nichts geändert.",
    },
    "registry.merge.not_allowed_unowned": {
        "en": ":no_entry: Nobody looks after *{partner}* or *{into}*, so only a workspace admin "
        "can merge them, or whoever takes both over first (`/rapport partners unowned`). "
        "Nothing was changed.",
        "de": ":no_entry: Für *{partner}* und *{into}* ist niemand zuständig, darum kann nur ein "
        "Workspace-Admin sie zusammenführen, oder wer zuerst beide übernimmt (`/rapport partner "
        "ohne zuständige`). Es wurde nichts geändert.",
    },
    "registry.merge.nobody": {"en": "nobody", "de": "niemand"},
    "registry.merge.confirm": {
        "en": ":twisted_rightwards_arrows: *Merge {partner} into {into}?* Everything Rapport "
        "keeps about {partner} moves to {into}, as if it had been logged there from the start:",
        "de": ":twisted_rightwards_arrows: *{partner} mit {into} zusammenführen?* Alles, was "
        "Rapport über {partner} weiß, kommt zu {into}, als wäre es von Anfang an dort erfasst "
        "worden:",
    },
    "registry.merge.kept": {
        "en": "*{into}* keeps its name, owner, check-in cadence and whether it is paused; "
        "*{partner}* is then removed.",
        "de": "*{into}* behält Namen, Zuständigkeit, Check-in-Rhythmus und ob er pausiert ist; "
        "*{partner}* wird danach entfernt.",
    },
    "registry.merge.taken": {
        "en": "From {partner} it takes what it does not have yet: {fields}.",
        "de": "Von {partner} übernimmt er, was ihm noch fehlt: {fields}.",
    },
    "registry.merge.field.email": {"en": "e-mail", "de": "E-Mail"},
    "registry.merge.field.slack": {"en": "Slack user", "de": "Slack-Person"},
    "registry.merge.field.tz": {"en": "time zone", "de": "Zeitzone"},
    "registry.merge.field.hours": {"en": "business hours", "de": "Geschäftszeiten"},
    "registry.merge.field.days": {"en": "business days", "de": "Geschäftstage"},
    "registry.merge.field.channel": {"en": "preferred channel", "de": "bevorzugter Kanal"},
    "registry.merge.field.language": {"en": "language", "de": "Sprache"},
    "registry.merge.field.owner": {"en": "owner", "de": "Zuständigkeit"},
    "registry.merge.field.contact_limit": {"en": "contact limit", "de": "Kontaktgrenze"},
    "registry.merge.field.snooze": {
        "en": "its later snoozed check-in",
        "de": "den späteren Aufschub des Check-ins",
    },
    "registry.merge.warning": {
        "en": "It cannot be undone: {partner} is gone afterwards, and its history is found on "
        "the card of {into}. Nudge DMs Slack already shows stay as they are. The question "
        "expires in {minutes} minutes.",
        "de": "Das lässt sich nicht rückgängig machen: {partner} gibt es danach nicht mehr, seine "
        "Geschichte steht dann auf der Karte von {into}. Erinnerungen, die Slack schon anzeigt, "
        "bleiben, wie sie sind. Die Frage verfällt nach {minutes} Minuten.",
    },
    "registry.merge.button": {"en": "Merge into {into}", "de": "Mit {into} zusammenführen"},
    "registry.merge.done": {
        "en": ":twisted_rightwards_arrows: Merged *{partner}* into *{into}*. Moved, as the "
        "question said:\n{counts}",
        "de": ":twisted_rightwards_arrows: *{partner}* ist mit *{into}* zusammengeführt. "
        "Verschoben wurden, wie angekündigt:\n{counts}",
    },
    "registry.merge.cancelled": {
        "en": "Cancelled: nothing was merged.",
        "de": "Abgebrochen: Es wurde nichts zusammengeführt.",
    },
    "registry.merge.expired": {
        "en": ":hourglass: That question has expired, and nothing was merged. Ask again: "
        "`/rapport merge NAME into OTHER`.",
        "de": ":hourglass: Diese Frage ist verfallen, und es wurde nichts zusammengeführt. Frag "
        "noch einmal: `/rapport zusammenführen NAME in ANDERER`.",
    },
    "registry.merge.not_yours": {
        "en": ":no_entry: That question was for someone else: nothing was merged.",
        "de": ":no_entry: Diese Frage war an jemand anderen gerichtet: Es wurde nichts "
        "zusammengeführt.",
    },
    "registry.merge.gone": {
        "en": "One of the two partners is no longer in Rapport (forgotten or merged meanwhile): "
        "nothing was merged. Look again: `/rapport partners all`.",
        "de": "Einen der beiden Partner gibt es in Rapport nicht mehr (inzwischen vergessen oder "
        "zusammengeführt): Es wurde nichts zusammengeführt. Schau noch einmal: `/rapport "
        "partner alle`.",
    },
    "registry.merge.sending": {
        "en": ":hourglass: A nudge DM about *{partner}* or *{into}* is being sent right now: "
        "nothing was merged. Press the button again in a minute.",
        "de": ":hourglass: Gerade wird eine Erinnerung zu *{partner}* oder *{into}* gesendet: "
        "Es wurde nichts zusammengeführt. Drück den Knopf in einer Minute noch einmal.",
    },
    # --- partner health ---
    # One word per state of `bot.rules.relationships.health.Health`; the marker before the
    # words is `bot.blocks.replies.HEALTH_MARKERS`'.
    "health.fine": {"en": "fine", "de": "in Ordnung"},
    "health.check_in_due_soon": {"en": "check-in due soon", "de": "Check-in bald fällig"},
    "health.check_in_overdue": {"en": "check-in overdue", "de": "Check-in überfällig"},
    "health.neglected": {"en": "neglected", "de": "vernachlässigt"},
    "health.unowned": {"en": "unowned", "de": "ohne Zuständigen"},
    "health.one_sided": {"en": "one-sided", "de": "einseitig"},
    "health.promises_overdue": {
        "en": "promises overdue past reminders",
        "de": "Zusagen überfällig trotz Erinnerungen",
    },
    "health.card": {"en": "Health: {states}", "de": "Zustand: {states}"},
    # --- the App Home --------------------------------------------------------------------------
    "home.welcome.title": {"en": "Welcome to Rapport", "de": "Willkommen bei Rapport"},
    "home.welcome.body": {
        "en": "Rapport keeps your partners in mind for you. Log a contact as it happens, "
        "and any promise you made with it:\n`/logcontact Acme call talked about the pilot`\n"
        "Your partners and your open promises then show here.",
        "de": "Rapport behält deine Partner für dich im Blick. Erfasse einen Kontakt, sobald "
        "er stattfand, mit jeder Zusage, die du dabei gemacht hast:\n"
        "`/logcontact Acme Anruf über das Pilotprojekt gesprochen`\n"
        "Danach stehen hier deine Partner und deine offenen Zusagen.",
    },
    "home.welcome.help": {
        "en": "Everything else Rapport does: `/rapport help`",
        "de": "Alles andere, was Rapport kann: `/rapport hilfe`",
    },
    "home.partners.title": {"en": "My partners", "de": "Meine Partner"},
    "home.partners.more": {
        "en": "{count} more: `/rapport partners`",
        "de": "{count} weitere: `/rapport partner`",
    },
    # The member's live claims ("I'll reach out" on a team digest) on colleagues' partners.
    "home.claims.title": {"en": "I'm on it", "de": "Ich kümmere mich"},
    "home.claims.why": {
        "en": "You said you'd reach out: their check-in nudges come to you until the day shown.",
        "de": "Du wolltest dich melden: bis zum genannten Tag bekommst du ihre "
        "Check-in-Erinnerungen.",
    },
    "home.claims.until": {"en": ":raising_hand: until {day}", "de": ":raising_hand: bis {day}"},
    "home.claims.more": {"en": "{count} more", "de": "{count} weitere"},
    "home.promises.title": {"en": "My open promises", "de": "Meine offenen Zusagen"},
    "home.promises.none": {
        "en": "No open promises of yours.",
        "de": "Du hast keine offenen Zusagen.",
    },
    "home.promises.more": {
        "en": "{count} more: `/rapport promises`",
        "de": "{count} weitere: `/rapport zusagen`",
    },
    "home.partners.range": {
        "en": "Partners {first}–{last} of {total}",
        "de": "Partner {first}–{last} von {total}",
    },
    "home.settings.title": {"en": "My settings", "de": "Meine Einstellungen"},
    "home.settings.edit": {"en": "Edit settings", "de": "Einstellungen ändern"},
    # The settings modal the Home's button opens (a modal's title: 24 characters at most).
    "home.settings_modal.title": {"en": "My settings", "de": "Meine Einstellungen"},
    "home.settings_modal.save": {"en": "Save", "de": "Speichern"},
    "home.settings_modal.cancel": {"en": "Cancel", "de": "Abbrechen"},
    "home.settings_modal.hours": {"en": "Working hours", "de": "Arbeitszeit"},
    "home.settings_modal.hours_hint": {
        "en": "Start and end, like 8:30-17:00 or 9am-5pm, in your Slack time zone ({tz}).",
        "de": "Beginn und Ende, etwa 8:30-17:00, in deiner Slack-Zeitzone ({tz}).",
    },
    "home.settings_modal.days": {"en": "Working days", "de": "Arbeitstage"},
    "home.settings_modal.language": {"en": "Language", "de": "Sprache"},
    "home.settings_modal.language_slack": {
        "en": "As in Slack",
        "de": "Wie in Slack",
    },
    "home.settings_modal.holidays": {"en": "Public holidays", "de": "Feiertage"},
    "home.settings_modal.holidays_hint": {
        "en": "A country or region code, like DE or DE-BY; none for no public holidays; empty "
        "for those of your time zone's country.",
        "de": "Ein Länder- oder Regionskürzel, etwa DE oder DE-BY; keine für keine Feiertage; "
        "leer für die des Landes deiner Zeitzone.",
    },
    "home.settings_modal.away": {"en": "Away until", "de": "Abwesend bis"},
    "home.settings_modal.away_hint": {
        "en": "The day you are back: nudges wait until then. Empty if you are not away.",
        "de": "Der Tag, an dem du zurück bist: Erinnerungen warten bis dahin. Leer, wenn du "
        "nicht weg bist.",
    },
    "home.settings_modal.problem.hours_missing": {
        "en": "Give a start and an end, like 8:30-17:00.",
        "de": "Gib Beginn und Ende an, etwa 8:30-17:00.",
    },
    "home.settings_modal.problem.days_missing": {
        "en": "Tick at least one working day.",
        "de": "Kreuze mindestens einen Arbeitstag an.",
    },
    "home.settings_modal.problem.bad_choice": {
        "en": "Choose one of the options offered.",
        "de": "Wähle eine der angebotenen Möglichkeiten.",
    },
    "home.settings_modal.problem.past_date": {
        "en": "Pick a day after today, or leave it empty if you are not away.",
        "de": "Wähle einen Tag nach heute, oder lass es leer, wenn du nicht weg bist.",
    },
    # The member's own reliability figure (`bot.blocks.home.reliability`), seen by them alone.
    "home.reliability.title": {"en": "My reliability", "de": "Meine Verlässlichkeit"},
    "home.reliability.figure": {
        "en": "*{percent}* — {kept} of {due} promises due in the last {days} days kept on time",
        "de": "*{percent}* — {kept} von {due} Zusagen, die in den letzten {days} Tagen fällig "
        "waren, rechtzeitig gehalten",
    },
    "home.reliability.figure_one": {
        "en": "*{percent}* — {kept} of {due} promise due in the last {days} days kept on time",
        "de": "*{percent}* — {kept} von {due} Zusage, die in den letzten {days} Tagen fällig "
        "war, rechtzeitig gehalten",
    },
    "home.reliability.none": {
        "en": "No promises fell due in the last {days} days.",
        "de": "In den letzten {days} Tagen war keine deiner Zusagen fällig.",
    },
    "home.reliability.about": {
        "en": "Only you see this. A promise counts as kept on time when it was kept on or "
        "before its due day; one whose day you moved before it passed (_Need more time…_) "
        "counts by its new day, and one dropped in time is not counted.",
        "de": "Nur du siehst das. Eine Zusage gilt als rechtzeitig gehalten, wenn sie am "
        "Fälligkeitstag oder davor gehalten wurde; eine, deren Tag du vorher verschoben hast "
        "(_Mehr Zeit nötig…_), zählt mit dem neuen Tag, und eine rechtzeitig verworfene "
        "zählt nicht.",
    },
    # --- a team digest: what it lists, its buttons, claims --------------------------------------
    "digest.message.title": {
        "en": "*Partners who need attention*",
        "de": "*Partner, die Aufmerksamkeit brauchen*",
    },
    "digest.message.unowned": {
        "en": "*Nobody looks after these*",
        "de": "*Partner ohne Zuständige*",
    },
    "digest.message.no_name": {"en": "(no name)", "de": "(ohne Namen)"},
    "digest.message.contact_by": {
        "en": "{contact} by {name}",
        "de": "{contact} von {name}",
    },
    "digest.message.claim": {
        "en": ":raising_hand: {user} is on it until {day}",
        "de": ":raising_hand: {user} kümmert sich bis {day}",
    },
    "digest.message.more": {
        "en": "{count} more, see Rapport's Home tab",
        "de": "{count} weitere, siehe den Home-Tab von Rapport",
    },
    "digest.message.quiet": {
        "en": "All partners looked after",
        "de": "Alle Partner sind gut betreut",
    },
    "digest.message.summary": {
        "en": "Partners who need attention: {partners}, {owners}",
        "de": "Partner, die Aufmerksamkeit brauchen: {partners}, {owners}",
    },
    "digest.message.partners": {"en": "{count} partners", "de": "{count} Partner"},
    "digest.message.partners_one": {"en": "{count} partner", "de": "{count} Partner"},
    "digest.message.owners": {
        "en": "{count} owners",
        "de": "{count} zuständige Personen",
    },
    "digest.message.owners_one": {"en": "{count} owner", "de": "{count} zuständige Person"},
    "digest.message.reach_out": {"en": "I'll reach out", "de": "Ich melde mich"},
    "digest.message.log": {"en": "Log contact", "de": "Kontakt erfassen"},
    "digest.message.take_over": {"en": "Take over", "de": "Übernehmen"},
    "digest.claim.done": {
        "en": ":raising_hand: For the next {days} days you get *{partner}*'s check-in nudges "
        "instead of {owner}; the digest shows everyone that you are on it (until {day}).",
        "de": ":raising_hand: Die nächsten {days} Tage bekommst du die Check-in-Erinnerungen "
        "zu *{partner}* statt {owner}; die Übersicht zeigt allen, dass du dich kümmerst "
        "(bis {day}).",
    },
    "digest.claim.done_unowned": {
        "en": ":raising_hand: For the next {days} days you get *{partner}*'s check-in nudges; "
        "the digest shows everyone that you are on it (until {day}). Nobody looks after it: "
        "*Take over* makes it yours for good.",
        "de": ":raising_hand: Die nächsten {days} Tage bekommst du die Check-in-Erinnerungen "
        "zu *{partner}*; die Übersicht zeigt allen, dass du dich kümmerst (bis {day}). Niemand "
        "ist zuständig: mit *Übernehmen* wird der Partner dauerhaft deiner.",
    },
    "digest.claim.own": {
        "en": ":information_source: *{partner}* is your own partner: their check-in nudges "
        "come to you anyway, so there is nothing to claim.",
        "de": ":information_source: *{partner}* ist dein eigener Partner: die "
        "Check-in-Erinnerungen kommen ohnehin zu dir, es gibt nichts zu übernehmen.",
    },
    "digest.claim.taken": {
        "en": ":information_source: {user} is already on *{partner}* until {day}; nothing changed.",
        "de": ":information_source: {user} kümmert sich schon bis {day} um *{partner}*; "
        "nichts geändert.",
    },
    "digest.claim.gone": {
        "en": ":warning: That partner is no longer in Rapport; nothing changed.",
        "de": ":warning: Diesen Partner gibt es in Rapport nicht mehr; nichts geändert.",
    },
    "digest.redraw.failed": {
        "en": ":warning: Saved, but the digest in the channel could not be redrawn, so it "
        "does not show it yet.",
        "de": ":warning: Gespeichert, aber die Übersicht im Kanal ließ sich nicht neu "
        "zeichnen und zeigt es noch nicht.",
    },
    "digest.redraw.off": {
        "en": ":information_source: Saved. The digest in the channel is not redrawn: this "
        "channel's digest is switched off.",
        "de": ":information_source: Gespeichert. Die Übersicht im Kanal wird nicht neu "
        "gezeichnet: die Übersicht dieses Kanals ist ausgeschaltet.",
    },
    "digest.redraw.shared": {
        "en": ":no_entry: Saved. The digest in the channel is not redrawn: the channel is now "
        "shared with another organisation, so it shows no partner data any more and the "
        "digest was withdrawn.",
        "de": ":no_entry: Gespeichert. Die Übersicht im Kanal wird nicht neu gezeichnet: der "
        "Kanal ist jetzt mit einer anderen Organisation geteilt, zeigt also keine "
        "Partnerdaten mehr, und die Übersicht wurde zurückgezogen.",
    },
    "digest.redraw.guests": {
        "en": ":no_entry: Saved. The digest in the channel is not redrawn: a workspace guest "
        "is in the channel now, so it shows no partner data and the digest was withdrawn.",
        "de": ":no_entry: Gespeichert. Die Übersicht im Kanal wird nicht neu gezeichnet: im "
        "Kanal ist jetzt ein Gast des Workspaces, er zeigt also keine Partnerdaten, und die "
        "Übersicht wurde zurückgezogen.",
    },
    "digest.message.withdrawn_shared": {
        "en": "This digest was withdrawn: the channel is now shared with another organisation.",
        "de": "Diese Übersicht wurde zurückgezogen: der Kanal ist jetzt mit einer anderen "
        "Organisation geteilt.",
    },
    "digest.message.withdrawn_guests": {
        "en": "This digest was withdrawn: a workspace guest is now in the channel.",
        "de": "Diese Übersicht wurde zurückgezogen: im Kanal ist jetzt ein Gast des Workspaces.",
    },
    "digest.claim.unknown_digest": {
        "en": ":warning: This menu belongs to a digest Rapport cannot find (or a partner it did "
        "not list); nothing changed.",
        "de": ":warning: Dieses Menü gehört zu einer Übersicht, die Rapport nicht findet (oder "
        "zu einem Partner, den sie nicht zeigt); nichts geändert.",
    },
    # --- team-channel digests: subscribing a channel, and its suspension --------------------
    "digest.subscription.options": {
        "en": "`weekly` or `biweekly` (`fortnightly`, `every two weeks`), a weekday (`tue`), a "
        "time (`08:30`, `8 uhr`, `9am`), a zone (`Europe/Berlin`), `language de` or "
        "`language en`, and `quiet line` or `quiet nothing` (a week with nothing to report "
        "posts one line, or nothing)",
        "de": "`wöchentlich` oder `zweiwöchentlich` (`alle zwei wochen`, `14-tägig`), ein "
        "Wochentag (`di`), eine Uhrzeit (`08:30`, `8 uhr`, `9am`), eine Zeitzone "
        "(`Europe/Berlin`), `sprache de` oder `sprache en` und `ruhig zeile` oder "
        "`ruhig nichts` (eine Woche ohne Auffälligkeiten bringt eine Zeile oder nichts)",
    },
    "digest.subscription.problem.action": {
        "en": ":thinking_face: `/rapport digest` has no `{word}`: it takes `on`, `off` or "
        "`status`. Nothing changed.",
        "de": ":thinking_face: `/rapport digest` kennt `{word}` nicht: es nimmt `an`, `aus` "
        "oder `status`. Nichts wurde geändert.",
    },
    "digest.subscription.problem.extra": {
        "en": ":thinking_face: `/rapport digest {other}` takes nothing after it, so `{word}` "
        "was not understood. Nothing changed.",
        "de": ":thinking_face: Nach `/rapport digest {other}` kommt nichts mehr, `{word}` "
        "wurde also nicht verstanden. Nichts wurde geändert.",
    },
    "digest.subscription.problem.word": {
        "en": ":thinking_face: `{word}` was not understood, so nothing changed. "
        "`/rapport digest on` takes, in any order: {options}.",
        "de": ":thinking_face: `{word}` wurde nicht verstanden, daher wurde nichts geändert. "
        "`/rapport digest an` nimmt in beliebiger Reihenfolge: {options}.",
    },
    "digest.subscription.problem.twice": {
        "en": ":thinking_face: `{other}` and `{word}` both set the same thing; name one of "
        "them. Nothing changed.",
        "de": ":thinking_face: `{other}` und `{word}` stellen dasselbe ein; nenne eins davon. "
        "Nichts wurde geändert.",
    },
    "digest.subscription.problem.value_language": {
        "en": ":thinking_face: `{word}` after `{other}` was not understood, so nothing changed. "
        "Write `language de` or `language en`.",
        "de": ":thinking_face: `{word}` nach `{other}` wurde nicht verstanden, daher wurde "
        "nichts geändert. Schreib `sprache de` oder `sprache en`.",
    },
    "digest.subscription.problem.value_quiet": {
        "en": ":thinking_face: `{word}` after `{other}` was not understood, so nothing changed. "
        "Write `quiet line` (a quiet week posts one line) or `quiet nothing`.",
        "de": ":thinking_face: `{word}` nach `{other}` wurde nicht verstanden, daher wurde "
        "nichts geändert. Schreib `ruhig zeile` (eine ruhige Woche bringt eine Zeile) oder "
        "`ruhig nichts`.",
    },
    "digest.subscription.problem.missing_language": {
        "en": ":thinking_face: `{word}` needs a value after it, so nothing changed. "
        "Write `language de` or `language en`.",
        "de": ":thinking_face: Nach `{word}` fehlt der Wert, daher wurde nichts geändert. "
        "Schreib `sprache de` oder `sprache en`.",
    },
    "digest.subscription.problem.missing_quiet": {
        "en": ":thinking_face: `{word}` needs a value after it, so nothing changed. "
        "Write `quiet line` (a quiet week posts one line) or `quiet nothing`.",
        "de": ":thinking_face: Nach `{word}` fehlt der Wert, daher wurde nichts geändert. "
        "Schreib `ruhig zeile` (eine ruhige Woche bringt eine Zeile) oder `ruhig nichts`.",
    },
    "digest.subscription.problem.bad_time": {
        "en": ":thinking_face: `{word}` is no time of day, so nothing changed. Write it like "
        "`08:30`, `8 uhr`, `9am` or `14h`.",
        "de": ":thinking_face: `{word}` ist keine Uhrzeit, daher wurde nichts geändert. "
        "Schreib sie etwa als `08:30`, `8 uhr`, `9am` oder `14h`.",
    },
    "digest.subscription.problem.bare_number": {
        "en": ":thinking_face: `{word}` alone is not read as a time of day, so nothing changed. "
        "Write a time with minutes or a unit, like `{word}:00` or `{word} uhr`.",
        "de": ":thinking_face: `{word}` allein wird nicht als Uhrzeit gelesen, daher wurde "
        "nichts geändert. Schreib eine Uhrzeit mit Minuten oder Einheit, etwa `{word}:00` oder "
        "`{word} uhr`.",
    },
    "digest.subscription.problem.interval": {
        "en": ":thinking_face: A digest comes every week or every other week, so `{word}` "
        "cannot be set, and nothing changed. Write `weekly` or `biweekly`, or with the day: "
        "`every tuesday`, `every other tuesday`.",
        "de": ":thinking_face: Eine Übersicht kommt jede Woche oder jede zweite Woche, daher "
        "lässt sich `{word}` nicht einstellen, und nichts wurde geändert. Schreib "
        "`wöchentlich` oder `zweiwöchentlich`, oder mit dem Tag: `jeden dienstag`, "
        "`jeden zweiten dienstag`.",
    },
    "digest.subscription.question.hour": {
        "en": ":thinking_face: `{phrase}` could be in the morning or in the evening. Which time "
        "should the digest come at?",
        "de": ":thinking_face: `{phrase}` kann morgens oder abends sein. Um welche Uhrzeit soll "
        "die Übersicht kommen?",
    },
    "digest.subscription.reading.hour": {"en": "{time}", "de": "{time} Uhr"},
    "digest.subscription.question.cancelled": {
        "en": ":ok_hand: Nothing changed.",
        "de": ":ok_hand: Es wurde nichts geändert.",
    },
    "digest.subscription.question.expired": {
        "en": ":hourglass: That question was answered already or is more than an hour old, so "
        "this press changed nothing. Send `/rapport digest on …` again if you still want to.",
        "de": ":hourglass: Diese Frage ist schon beantwortet oder älter als eine Stunde, daher "
        "hat dieser Klick nichts geändert. Schick `/rapport digest an …` noch einmal, wenn du "
        "es noch willst.",
    },
    "digest.subscription.problem.bad_zone": {
        "en": ":thinking_face: `{word}` is no time zone Rapport knows, so nothing changed. "
        "Write one like `Europe/Berlin` or `America/New_York`.",
        "de": ":thinking_face: `{word}` ist keine Zeitzone, die Rapport kennt, daher wurde "
        "nichts geändert. Schreib eine wie `Europe/Berlin` oder `America/New_York`.",
    },
    "digest.subscription.refused.dm": {
        "en": ":no_entry: A digest goes to a team channel: run `/rapport digest on` in the team "
        "channel, not in a direct message.",
        "de": ":no_entry: Eine Übersicht geht an einen Team-Kanal: Führe `/rapport digest an` "
        "im Team-Kanal aus, nicht in einer Direktnachricht.",
    },
    "digest.subscription.refused.not_in_channel": {
        "en": ":wave: Rapport is not a member of this channel, so it cannot post a digest "
        "here. Invite it with `/invite @Rapport`, then run `/rapport digest on` again. "
        "Nothing changed.",
        "de": ":wave: Rapport ist nicht Mitglied dieses Kanals und kann hier keine Übersicht "
        "posten. Lade es mit `/invite @Rapport` ein und führe dann `/rapport digest an` "
        "erneut aus. Nichts wurde geändert.",
    },
    "digest.subscription.refused.ext_shared": {
        "en": ":no_entry: This channel is shared with another organisation: a digest here "
        "would show partner data to people outside the company, so it is not switched on. "
        "Use a channel of your own workspace.",
        "de": ":no_entry: Dieser Kanal ist mit einer anderen Organisation geteilt: Eine "
        "Übersicht hier würde Partnerdaten Menschen außerhalb der Firma zeigen, daher wird "
        "sie nicht eingeschaltet. Nimm einen Kanal eures eigenen Workspace.",
    },
    "digest.subscription.refused.pending_ext_shared": {
        "en": ":no_entry: This channel is about to be shared with another organisation (an "
        "invitation is pending): a digest here would show partner data to people outside the "
        "company, so it is not switched on. Use a channel of your own workspace.",
        "de": ":no_entry: Dieser Kanal wird gerade mit einer anderen Organisation geteilt "
        "(eine Einladung steht aus): Eine Übersicht hier würde Partnerdaten Menschen außerhalb "
        "der Firma zeigen, daher wird sie nicht eingeschaltet. Nimm einen Kanal eures eigenen "
        "Workspace.",
    },
    "digest.subscription.refused.slack": {
        "en": ":warning: Slack did not answer about this channel ({error}), so nothing changed. "
        "Try again in a moment.",
        "de": ":warning: Slack hat zu diesem Kanal nicht geantwortet ({error}), daher wurde "
        "nichts geändert. Versuch es gleich noch einmal.",
    },
    "digest.subscription.on.new": {
        "en": ":white_check_mark: This channel now gets Rapport's digest of the partners who "
        "need attention.",
        "de": ":white_check_mark: Dieser Kanal bekommt jetzt Rapports Übersicht der Partner, "
        "die Aufmerksamkeit brauchen.",
    },
    "digest.subscription.on.resumed": {
        "en": ":white_check_mark: This channel's digest is on again.",
        "de": ":white_check_mark: Die Übersicht dieses Kanals ist wieder an.",
    },
    "digest.subscription.on.changed": {
        "en": ":white_check_mark: Changed. This channel's digest is now set as follows:",
        "de": ":white_check_mark: Geändert. Die Übersicht dieses Kanals ist jetzt so eingestellt:",
    },
    "digest.subscription.on.unchanged": {
        "en": ":information_source: This channel's digest is on already; nothing was named to "
        "change.",
        "de": ":information_source: Die Übersicht dieses Kanals ist schon an; es wurde nichts "
        "zum Ändern genannt.",
    },
    "digest.subscription.line.schedule": {"en": "*When:* {schedule}", "de": "*Wann:* {schedule}"},
    "digest.subscription.line.next": {
        "en": "*Next digest:* {when}",
        "de": "*Nächste Übersicht:* {when}",
    },
    "digest.subscription.line.language": {
        "en": "*Language:* {language}",
        "de": "*Sprache:* {language}",
    },
    "digest.subscription.line.quiet": {
        "en": "*A week with nothing to report:* {quiet}",
        "de": "*Eine Woche ohne Auffälligkeiten:* {quiet}",
    },
    "digest.subscription.line.subscriber": {
        "en": "*Subscribed by:* {name}",
        "de": "*Abonniert von:* {name}",
    },
    "digest.subscription.line.last": {
        "en": "*Last digest:* {last}",
        "de": "*Letzte Übersicht:* {last}",
    },
    "digest.subscription.line.change": {
        "en": "`/rapport digest on` with only what to change sets it, e.g. "
        "`/rapport digest on biweekly tue 08:30`; `/rapport digest off` stops it.",
        "de": "`/rapport digest an` mit nur dem, was sich ändern soll, stellt sie ein, z. B. "
        "`/rapport digest an zweiwöchentlich di 8:30`; `/rapport digest aus` beendet sie.",
    },
    "digest.subscription.language.en": {"en": "English", "de": "Englisch"},
    "digest.subscription.language.de": {"en": "German", "de": "Deutsch"},
    "digest.subscription.quiet.line": {
        "en": "one line saying all partners are looked after (`quiet line`)",
        "de": "eine Zeile, dass alle Partner gut betreut sind (`ruhig zeile`)",
    },
    "digest.subscription.quiet.nothing": {
        "en": "nothing is posted (`quiet nothing`)",
        "de": "es wird nichts gepostet (`ruhig nichts`)",
    },
    "digest.subscription.schedule.weekly": {
        "en": "every {weekday} at {time} ({tz})",
        "de": "jeden {weekday} um {time} ({tz})",
    },
    "digest.subscription.schedule.biweekly": {
        "en": "every other {weekday} at {time} ({tz})",
        "de": "jeden zweiten {weekday} um {time} ({tz})",
    },
    "digest.subscription.when": {"en": "{day}, {time}", "de": "{day}, {time} Uhr"},
    "digest.subscription.status.none": {
        "en": "This channel has no Rapport digest. `/rapport digest on` subscribes it (weekly, "
        "Monday at 09:00, in your time zone and language); it takes {options}.",
        "de": "Dieser Kanal hat keine Übersicht von Rapport. `/rapport digest an` abonniert sie "
        "(wöchentlich, montags um 09:00, in deiner Zeitzone und Sprache); es nimmt {options}.",
    },
    "digest.subscription.status.active": {
        "en": ":large_green_circle: This channel's digest is *on*.",
        "de": ":large_green_circle: Die Übersicht dieses Kanals ist *an*.",
    },
    "digest.subscription.status.off": {
        "en": ":white_circle: This channel's digest is *off*; `/rapport digest on` switches it "
        "on again with these settings.",
        "de": ":white_circle: Die Übersicht dieses Kanals ist *aus*; `/rapport digest an` "
        "schaltet sie mit diesen Einstellungen wieder an.",
    },
    "digest.subscription.status.suspended_ext_shared": {
        "en": ":double_vertical_bar: This channel's digest is *suspended*: the channel is shared "
        "with another organisation, and a digest would show partner data to people outside the "
        "company. Once it is no longer shared, `/rapport digest on` resumes it.",
        "de": ":double_vertical_bar: Die Übersicht dieses Kanals ist *ausgesetzt*: Der Kanal ist "
        "mit einer anderen Organisation geteilt, und eine Übersicht würde Partnerdaten Menschen "
        "außerhalb der Firma zeigen. Sobald er nicht mehr geteilt ist, setzt "
        "`/rapport digest an` sie fort.",
    },
    "digest.subscription.status.suspended_pending_ext_shared": {
        "en": ":double_vertical_bar: This channel's digest is *suspended*: the channel is being "
        "shared with another organisation (an invitation is pending), and a digest would show "
        "partner data to people outside the company. Once it is not shared, "
        "`/rapport digest on` resumes it.",
        "de": ":double_vertical_bar: Die Übersicht dieses Kanals ist *ausgesetzt*: Der Kanal "
        "wird gerade mit einer anderen Organisation geteilt (eine Einladung steht aus), und eine "
        "Übersicht würde Partnerdaten Menschen außerhalb der Firma zeigen. Sobald er nicht "
        "geteilt ist, setzt `/rapport digest an` sie fort.",
    },
    "digest.subscription.last.none": {"en": "none yet", "de": "noch keine"},
    "digest.subscription.last.sent": {
        "en": "posted {when} ({tz})",
        "de": "gepostet {when} ({tz})",
    },
    "digest.subscription.last.guests": {
        "en": "held on {day}: workspace guests are members of this channel. Remove the guests "
        "from the channel, or switch the digest off with `/rapport digest off`.",
        "de": "am {day} zurückgehalten: Gäste des Workspaces sind Mitglieder dieses Kanals. "
        "Entferne die Gäste aus dem Kanal oder schalte die Übersicht mit "
        "`/rapport digest aus` ab.",
    },
    "digest.subscription.last.ext_shared": {
        "en": "held on {day}: the channel is shared with another organisation",
        "de": "am {day} zurückgehalten: der Kanal ist mit einer anderen Organisation geteilt",
    },
    "digest.subscription.last.pending_ext_shared": {
        "en": "held on {day}: an invitation to share the channel with another organisation "
        "is pending",
        "de": "am {day} zurückgehalten: eine Einladung, den Kanal mit einer anderen "
        "Organisation zu teilen, steht aus",
    },
    "digest.subscription.last.members_unlisted": {
        "en": "held on {day}: Slack did not list all of this channel's members, so guests "
        "could not be ruled out. It is tried again at the next post time.",
        "de": "am {day} zurückgehalten: Slack hat nicht alle Mitglieder dieses Kanals "
        "aufgelistet, Gäste ließen sich also nicht ausschließen. Zur nächsten Zeit wird es "
        "wieder versucht.",
    },
    "digest.subscription.last.is_archived": {
        "en": "not posted on {day}: the channel is archived. Unarchive it, or switch the "
        "digest off with `/rapport digest off`.",
        "de": "am {day} nicht gepostet: der Kanal ist archiviert. Hol ihn aus dem Archiv "
        "oder schalte die Übersicht mit `/rapport digest aus` ab.",
    },
    "digest.subscription.last.not_in_channel": {
        "en": "not posted on {day}: Rapport is no longer a member of this channel. Invite it "
        "with `/invite @Rapport`.",
        "de": "am {day} nicht gepostet: Rapport ist nicht mehr Mitglied dieses Kanals. Lade "
        "es mit `/invite @Rapport` ein.",
    },
    "digest.subscription.last.channel_not_found": {
        "en": "not posted on {day}: Slack did not find the channel for Rapport (a private "
        "channel Rapport was removed from, or a deleted one). Invite it with "
        "`/invite @Rapport`.",
        "de": "am {day} nicht gepostet: Slack hat den Kanal für Rapport nicht gefunden (ein "
        "privater Kanal, aus dem Rapport entfernt wurde, oder ein gelöschter). Lade es mit "
        "`/invite @Rapport` ein.",
    },
    "digest.subscription.last.off": {
        "en": "not posted on {day}: the digest was switched off",
        "de": "am {day} nicht gepostet: die Übersicht war ausgeschaltet",
    },
    "digest.subscription.last.suspended": {
        "en": "not posted on {day}: the digest was suspended",
        "de": "am {day} nicht gepostet: die Übersicht war ausgesetzt",
    },
    "digest.subscription.last.superseded": {
        "en": "the one of {day} gave way to a later one (Rapport was down at its time)",
        "de": "die vom {day} ist einer späteren gewichen (Rapport lief zu ihrer Zeit nicht)",
    },
    "digest.subscription.last.quiet": {
        "en": "nothing posted on {day}: nothing to report",
        "de": "am {day} nichts gepostet: nichts zu berichten",
    },
    "digest.subscription.last.waiting": {
        "en": "the one of {day} is being posted",
        "de": "die vom {day} wird gerade gepostet",
    },
    "digest.subscription.last.dead": {
        "en": "the one of {day} could not be posted (Slack answered `{error}`)",
        "de": "die vom {day} konnte nicht gepostet werden (Slack antwortete `{error}`)",
    },
    "digest.subscription.last.sent_withdrawn": {
        "en": "posted {when} ({tz}), since withdrawn",
        "de": "gepostet {when} ({tz}), inzwischen zurückgezogen",
    },
    "digest.subscription.withdrawal.why.ext_shared": {
        "en": "the channel is shared with another organisation",
        "de": "der Kanal mit einer anderen Organisation geteilt ist",
    },
    "digest.subscription.withdrawal.why.pending_ext_shared": {
        "en": "an invitation to share the channel with another organisation is pending",
        "de": "eine Einladung aussteht, den Kanal mit einer anderen Organisation zu teilen",
    },
    "digest.subscription.withdrawal.why.guests": {
        "en": "a workspace guest is in the channel",
        "de": "ein Gast des Workspaces im Kanal ist",
    },
    "digest.subscription.withdrawal.why.members_unlisted": {
        "en": "Slack did not list all of the channel's members, so a workspace guest cannot be "
        "ruled out",
        "de": "Slack nicht alle Mitglieder des Kanals aufgelistet hat und ein Gast des "
        "Workspaces nicht auszuschließen ist",
    },
    "digest.subscription.withdrawal.done": {
        "en": ":no_entry_sign: *Withdrawn:* the digests posted here ({count}), since {why}: "
        "they show no partners any more.",
        "de": ":no_entry_sign: *Zurückgezogen:* die hier geposteten Übersichten ({count}), "
        "weil {why}: Sie zeigen keine Partner mehr.",
    },
    "digest.subscription.withdrawal.done_fit": {
        "en": ":no_entry_sign: *Withdrawn:* the digests posted here ({count}), while the "
        "channel was shared or a workspace guest was in it. Neither holds now: a digest posted "
        "from now on lists partners again.",
        "de": ":no_entry_sign: *Zurückgezogen:* die hier geposteten Übersichten ({count}), "
        "als der Kanal geteilt war oder ein Gast des Workspaces darin war. Beides gilt jetzt "
        "nicht mehr: Eine ab jetzt gepostete Übersicht zeigt wieder Partner.",
    },
    "digest.subscription.withdrawal.done_unknown": {
        "en": ":no_entry_sign: *Withdrawn:* the digests posted here ({count}), while the "
        "channel was shared or a workspace guest was in it (Slack did not answer just now "
        "(`{error}`), so whether that still holds is not known).",
        "de": ":no_entry_sign: *Zurückgezogen:* die hier geposteten Übersichten ({count}), "
        "als der Kanal geteilt war oder ein Gast des Workspaces darin war (Slack hat gerade "
        "nicht geantwortet (`{error}`), ob das noch gilt, ist also nicht bekannt).",
    },
    "digest.subscription.withdrawal.pending": {
        "en": ":hourglass_flowing_sand: *Being withdrawn* since {since}: the digests posted "
        "here that still show partners ({count}).",
        "de": ":hourglass_flowing_sand: *Wird zurückgezogen* seit {since}: die hier geposteten "
        "Übersichten, die noch Partner zeigen ({count}).",
    },
    "digest.subscription.withdrawal.retrying": {
        "en": ":hourglass_flowing_sand: *Withdrawal being retried:* since {since}, Slack has "
        "refused to let Rapport withdraw the digests posted here that still show partners "
        "({count}); last `{error}`, {attempts} of {at_most} refusals counted (rate limits not). "
        "Next try: {next}.",
        "de": ":hourglass_flowing_sand: *Zurückziehen wird wiederholt:* Seit {since} lehnt "
        "Slack ab, dass Rapport die hier geposteten Übersichten zurückzieht, die noch Partner "
        "zeigen ({count}); zuletzt `{error}`, {attempts} von {at_most} Ablehnungen gezählt "
        "(Ratenlimits nicht). Nächster Versuch: {next}.",
    },
    "digest.subscription.withdrawal.next_due": {
        "en": "now (Rapport's delivery job runs every minute)",
        "de": "jetzt (Rapports Zustelljob läuft jede Minute)",
    },
    "digest.subscription.withdrawal.given_up": {
        "en": ":warning: *Withdrawal given up:* the digests posted here still show partners "
        "({count}), though {why}: Slack did not let Rapport change them (or Rapport was not "
        "told of the change), and it is not trying any more. Ask a workspace admin to delete "
        "them; Rapport tries again when someone joins the channel or presses a digest's menu.",
        "de": ":warning: *Zurückziehen aufgegeben:* Die hier geposteten Übersichten zeigen "
        "noch Partner ({count}), obwohl {why}: Slack ließ Rapport sie nicht ändern (oder "
        "Rapport erfuhr nichts von der Änderung), und es versucht es nicht mehr. Bitte einen "
        "Workspace-Admin, sie zu löschen; Rapport versucht es wieder, sobald jemand dem Kanal "
        "beitritt oder das Menü einer Übersicht benutzt.",
    },
    "digest.subscription.off.done": {
        "en": ":white_check_mark: This channel's digest is off. Its settings are kept: "
        "`/rapport digest on` switches it on again.",
        "de": ":white_check_mark: Die Übersicht dieses Kanals ist aus. Die Einstellungen "
        "bleiben erhalten: `/rapport digest an` schaltet sie wieder an.",
    },
    "digest.subscription.off.none": {
        "en": "This channel has no Rapport digest to switch off.",
        "de": "Dieser Kanal hat keine Übersicht von Rapport zum Ausschalten.",
    },
    "digest.subscription.off.already": {
        "en": "This channel's digest is off already.",
        "de": "Die Übersicht dieses Kanals ist schon aus.",
    },
    "digest.subscription.announce.on": {
        "en": ":newspaper: {name} subscribed this channel to Rapport's digest of the partners "
        "who need attention: {schedule}. `/rapport digest status` shows the settings, "
        "`/rapport digest off` stops it.",
        "de": ":newspaper: {name} hat für diesen Kanal Rapports Übersicht der Partner "
        "abonniert, die Aufmerksamkeit brauchen: {schedule}. `/rapport digest status` zeigt die "
        "Einstellungen, `/rapport digest aus` beendet sie.",
    },
    "digest.subscription.announce.changed": {
        "en": ":newspaper: {name} changed this channel's Rapport digest: {schedule}.",
        "de": ":newspaper: {name} hat die Rapport-Übersicht dieses Kanals geändert: {schedule}.",
    },
    "digest.subscription.announce.off": {
        "en": ":newspaper: {name} switched off this channel's Rapport digest.",
        "de": ":newspaper: {name} hat die Rapport-Übersicht dieses Kanals ausgeschaltet.",
    },
    "digest.subscription.announce_failed": {
        "en": ":warning: The note telling the channel about it could not be posted ({error}); "
        "the setting itself is saved.",
        "de": ":warning: Die Nachricht, die den Kanal darüber informiert, konnte nicht gepostet "
        "werden ({error}); die Einstellung selbst ist gespeichert.",
    },
    "digest.suspended.ext_shared": {
        "en": ":double_vertical_bar: Rapport's digest in <#{channel}> is suspended: the channel "
        "is now shared with another organisation, and a digest there would show partner data to "
        "people outside the company. Once it is no longer shared, `/rapport digest on` in the "
        "channel resumes it.",
        "de": ":double_vertical_bar: Rapports Übersicht in <#{channel}> ist ausgesetzt: Der Kanal "
        "ist jetzt mit einer anderen Organisation geteilt, und eine Übersicht dort würde "
        "Partnerdaten Menschen außerhalb der Firma zeigen. Sobald er nicht mehr geteilt ist, "
        "setzt `/rapport digest an` im Kanal sie fort.",
    },
    "digest.suspended.pending_ext_shared": {
        "en": ":double_vertical_bar: Rapport's digest in <#{channel}> is suspended: the channel "
        "is being shared with another organisation (an invitation is pending), and a digest "
        "there would show partner data to people outside the company. Once it is not shared, "
        "`/rapport digest on` in the channel resumes it.",
        "de": ":double_vertical_bar: Rapports Übersicht in <#{channel}> ist ausgesetzt: Der Kanal "
        "wird gerade mit einer anderen Organisation geteilt (eine Einladung steht aus), und eine "
        "Übersicht dort würde Partnerdaten Menschen außerhalb der Firma zeigen. Sobald er nicht "
        "geteilt ist, setzt `/rapport digest an` im Kanal sie fort.",
    },
    "digest.withdrawal_ended.removed": {
        "en": ":warning: Rapport could not withdraw its digests in <#{channel}>: it is no longer "
        "a member of the channel. A workspace guest or another organisation may now read the "
        "partners they list. Invite Rapport back (`/invite @Rapport` in the channel) and it "
        "withdraws them, or ask a workspace admin to delete them.",
        "de": ":warning: Rapport konnte seine Übersichten in <#{channel}> nicht zurückziehen: "
        "Es ist nicht mehr Mitglied des Kanals. Ein Gast des Workspaces oder eine andere "
        "Organisation kann die Partner darin jetzt lesen. Lade Rapport wieder ein "
        "(`/invite @Rapport` im Kanal), dann zieht es sie zurück, oder bitte einen "
        "Workspace-Admin, sie zu löschen.",
    },
    "digest.withdrawal_ended.archived": {
        "en": ":warning: Rapport could not withdraw its digests in <#{channel}>: the channel is "
        "archived. A workspace guest or another organisation may read the partners they list. "
        "Ask a workspace admin to delete them, or restore the channel and invite Rapport back "
        "(`/invite @Rapport`) to have them withdrawn.",
        "de": ":warning: Rapport konnte seine Übersichten in <#{channel}> nicht zurückziehen: "
        "Der Kanal ist archiviert. Ein Gast des Workspaces oder eine andere Organisation kann "
        "die Partner darin lesen. Bitte einen Workspace-Admin, sie zu löschen, oder stelle den "
        "Kanal wieder her und lade Rapport wieder ein (`/invite @Rapport`), damit es sie "
        "zurückzieht.",
    },
    "digest.withdrawal_ended.frozen": {
        "en": ":warning: Rapport could not withdraw its digests in <#{channel}>: Slack no longer "
        "lets it change them ({error}). A workspace guest or another organisation may read the "
        "partners they list. Ask a workspace admin to delete them.",
        "de": ":warning: Rapport konnte seine Übersichten in <#{channel}> nicht zurückziehen: "
        "Slack lässt es sie nicht mehr ändern ({error}). Ein Gast des Workspaces oder eine "
        "andere Organisation kann die Partner darin lesen. Bitte einen Workspace-Admin, sie zu "
        "löschen.",
    },
    "digest.withdrawal_ended.refused": {
        "en": ":warning: Rapport could not withdraw its digests in <#{channel}>: Slack refused "
        "for over an hour ({error}). A workspace guest or another organisation may read the "
        "partners they list. Rapport tries again when someone joins the channel or presses a "
        "digest's menu; or ask a workspace admin to delete them.",
        "de": ":warning: Rapport konnte seine Übersichten in <#{channel}> nicht zurückziehen: "
        "Slack hat über eine Stunde lang abgelehnt ({error}). Ein Gast des Workspaces oder "
        "eine andere Organisation kann die Partner darin lesen. Rapport versucht es wieder, "
        "sobald jemand dem Kanal beitritt oder das Menü einer Übersicht benutzt; oder bitte "
        "einen Workspace-Admin, sie zu löschen.",
    },
}
