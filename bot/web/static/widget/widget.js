/*!
 * Ikäneuvo web chat widget: plain JavaScript, no framework, no build step.
 *
 * Embed with one tag (README, "Web chat widget", lists every data attribute):
 *   <script src="https://…/widget/widget.js" data-server-url="https://rasa.example.fi"
 *           data-title="Ikäneuvo" data-open="false"
 *           data-phone="040 000 0001" defer></script>
 * (data-feedback-url: where ratings go, if not to the origin of this file.)
 *
 * Languages: Finnish, Swedish, English and Northern Sámi. A new conversation starts in the
 * language of the page (<html lang>: fi, sv, en, se; "sme" and "se-FI" are se, "sv-FI" sv;
 * anything else fi), or of a data-lang attribute on the script tag when the page gives one.
 * Then the widget follows the language of the assistant's latest message (its "lang"), and
 * the user can choose one (Suomi, Svenska, English, Sámegiella), which is sent to the
 * assistant as /change_language{"language": "sv"}. Every user message tells the assistant
 * the widget's language in its metadata ({"language": "sv"}); the greeting that opens a
 * conversation (/greet) also as an entity (/greet{"language": "sv"}), since Rasa does not run
 * its NLU, where the metadata is read, on such payloads. A conversation going on keeps its
 * language across pages. Every message in the conversation carries its own lang attribute
 * (its texts, the speaker's name included, stay in it), the widget its current one.
 *
 * It talks to Rasa's socketio channel (session_request / session_confirm, user_uttered /
 * bot_uttered) with socket.io-client 4, which it loads from vendor/ next to this file. The
 * widget lives in a shadow root, so the page's styles and the widget's do not mix.
 *
 * After an answer of the catalogue (a bot_uttered with "answer": its id, on the answer's last
 * part) the widget asks "Oliko vastauksesta apua?" and POSTs the rating as JSON to
 * <data-feedback-url, else this file's origin>/api/public/ratings, without cookies. The
 * conversation can be printed alone ("Tulosta tai tallenna keskustelu": widget-print.css
 * hides the page meanwhile), and an answer read aloud where the browser has a voice for its
 * language (speechSynthesis).
 *
 * Safety: bot and user texts are only ever put into the page with textContent and
 * createElement; links are made only for https:, tel: and mailto: addresses.
 */
(function (window, document) {
  "use strict";

  if (window.IkaneuvoWidget && window.IkaneuvoWidget.started) {
    return;
  }

  var VERSION = "1.0.0";

  // The languages, in the order of the language choice, each named in its own language.
  var LANGUAGES = ["fi", "sv", "en", "se"];
  var LANGUAGE_NAMES = { fi: "Suomi", sv: "Svenska", en: "English", se: "Sámegiella" };

  // Every text the widget itself shows, per language. "{phone}" is the data-phone number.
  var TEXTS = {
    fi: {
      title: "Ikäneuvo",
      subtitle: "Kysy ikäihmisten palveluista Lapissa",
      openButton: "Kysy Ikäneuvolta",
      newMessage: "Uusi viesti",
      closeButton: "Sulje",
      settings: "Asetukset",
      textSize: "Tekstin koko",
      smaller: "Pienennä",
      larger: "Suurenna",
      smallerText: "Pienennä tekstiä",
      largerText: "Suurenna tekstiä",
      highContrast: "Suuri kontrasti",
      language: "Kieli",
      startOver: "Aloita alusta",
      startOverQuestion: "Haluatko poistaa tämän keskustelun ja aloittaa alusta?",
      startOverYes: "Kyllä, aloita alusta",
      startOverNo: "Peruuta",
      startedOver: "Keskustelu aloitettiin alusta.",
      conversation: "Keskustelu",
      you: "Sinä",
      notice: "Ilmoitus",
      quickReplies: "Vastausvaihtoehdot",
      inputLabel: "Kirjoita kysymyksesi",
      inputHint: "Enter lähettää viestin. Vaihto + Enter vaihtaa riviä.",
      send: "Lähetä",
      typing: "Ikäneuvo kirjoittaa vastausta…",
      connecting: "Yhdistetään Ikäneuvoon…",
      offline: "Ei yhteyttä. Yritän yhdistää uudelleen.",
      pending: "Lähetetään, kun yhteys toimii.",
      noAnswer: "Ikäneuvo ei vastaa juuri nyt.",
      connectionLost: "Yhteys Ikäneuvoon katkesi. Yritän yhdistää uudelleen.",
      helpWithPhone:
        "Jos tarvitset apua heti, soita asiakas- ja palveluohjaukseen: {phone}. " +
        "Hätätilanteessa soita 112.",
      helpWithoutPhone:
        "Jos asia on kiireellinen terveysasia, soita Päivystysapuun 116 117. " +
        "Hätätilanteessa soita 112.",
      reconnected:
        "Yhteys toimii taas. Voit jatkaa keskustelua. " +
        "Jos et saanut vastausta viestiisi, kirjoita se uudelleen.",
      helpfulQuestion: "Oliko vastauksesta apua?",
      helpfulYes: "Kyllä",
      helpfulNo: "Ei",
      feedbackComment: "Mikä jäi puuttumaan? (vapaaehtoinen)",
      feedbackCommentHint: "Älä kirjoita nimeä tai puhelinnumeroa.",
      feedbackThanks: "Kiitos palautteesta!",
      feedbackFailed: "Palautetta ei voitu tallentaa. Voit jatkaa keskustelua.",
      printConversation: "Tulosta tai tallenna keskustelu",
      printHeading: "{title} – keskustelu",
      readAloud: "Lue ääneen",
      stopReading: "Lopeta lukeminen",
    },
    sv: {
      title: "Ikäneuvo",
      subtitle: "Fråga om tjänster för äldre i Lappland",
      openButton: "Fråga Ikäneuvo",
      newMessage: "Nytt meddelande",
      closeButton: "Stäng",
      settings: "Inställningar",
      textSize: "Textstorlek",
      smaller: "Mindre",
      larger: "Större",
      smallerText: "Mindre text",
      largerText: "Större text",
      highContrast: "Hög kontrast",
      language: "Språk",
      startOver: "Börja om",
      startOverQuestion: "Vill du radera samtalet och börja om?",
      startOverYes: "Ja, börja om",
      startOverNo: "Avbryt",
      startedOver: "Samtalet började om.",
      conversation: "Samtal",
      you: "Du",
      notice: "Meddelande",
      quickReplies: "Svarsalternativ",
      inputLabel: "Skriv din fråga",
      inputHint: "Enter skickar meddelandet. Skift + Enter byter rad.",
      send: "Skicka",
      typing: "Ikäneuvo skriver ett svar…",
      connecting: "Ansluter till Ikäneuvo…",
      offline: "Ingen förbindelse. Jag försöker ansluta igen.",
      pending: "Skickas när förbindelsen fungerar.",
      noAnswer: "Ikäneuvo svarar inte just nu.",
      connectionLost: "Förbindelsen till Ikäneuvo bröts. Jag försöker ansluta igen.",
      helpWithPhone:
        "Om du behöver hjälp genast, ring klient- och servicehandledningen: {phone}. " +
        "I nödsituationer ring 112.",
      helpWithoutPhone:
        "Om det gäller en brådskande hälsofråga, ring Jourhjälpen 116 117. " +
        "I nödsituationer ring 112.",
      reconnected:
        "Förbindelsen fungerar igen. Du kan fortsätta samtalet. " +
        "Om du inte fick svar på ditt meddelande, skriv det igen.",
      helpfulQuestion: "Hade du nytta av svaret?",
      helpfulYes: "Ja",
      helpfulNo: "Nej",
      feedbackComment: "Vad saknades? (frivilligt)",
      feedbackCommentHint: "Skriv inte namn eller telefonnummer.",
      feedbackThanks: "Tack för din respons!",
      feedbackFailed: "Responsen kunde inte sparas. Du kan fortsätta samtalet.",
      printConversation: "Skriv ut eller spara samtalet",
      printHeading: "{title} – samtal",
      readAloud: "Läs upp",
      stopReading: "Sluta läsa",
    },
    en: {
      title: "Ikäneuvo",
      subtitle: "Ask about services for older people in Lapland",
      openButton: "Ask Ikäneuvo",
      newMessage: "New message",
      closeButton: "Close",
      settings: "Settings",
      textSize: "Text size",
      smaller: "Smaller",
      larger: "Larger",
      smallerText: "Smaller text",
      largerText: "Larger text",
      highContrast: "High contrast",
      language: "Language",
      startOver: "Start over",
      startOverQuestion: "Do you want to delete this conversation and start over?",
      startOverYes: "Yes, start over",
      startOverNo: "Cancel",
      startedOver: "The conversation started over.",
      conversation: "Conversation",
      you: "You",
      notice: "Notice",
      quickReplies: "Answer options",
      inputLabel: "Write your question",
      inputHint: "Enter sends the message. Shift + Enter starts a new line.",
      send: "Send",
      typing: "Ikäneuvo is writing an answer…",
      connecting: "Connecting to Ikäneuvo…",
      offline: "No connection. Trying to connect again.",
      pending: "Will be sent when the connection works.",
      noAnswer: "Ikäneuvo is not answering right now.",
      connectionLost: "The connection to Ikäneuvo was lost. Trying to connect again.",
      helpWithPhone:
        "If you need help now, call client and service guidance: {phone}. " +
        "In an emergency, call 112.",
      helpWithoutPhone:
        "For an urgent health matter, call the Medical Helpline 116 117. " +
        "In an emergency, call 112.",
      reconnected:
        "The connection works again. You can go on. " +
        "If your message got no answer, please write it again.",
      helpfulQuestion: "Was this answer helpful?",
      helpfulYes: "Yes",
      helpfulNo: "No",
      feedbackComment: "What was missing? (optional)",
      feedbackCommentHint: "Do not write names or phone numbers.",
      feedbackThanks: "Thank you for your feedback!",
      feedbackFailed: "Your feedback could not be saved. You can go on with the conversation.",
      printConversation: "Print or save the conversation",
      printHeading: "{title} – conversation",
      readAloud: "Read aloud",
      stopReading: "Stop reading",
    },
    // se: awaiting native speaker review. Northern Sámi written without a native speaker;
    // have every text below checked before the widget is offered in Sámi.
    se: {
      title: "Ikäneuvo",
      subtitle: "Jeara boarrásiid bálvalusaid birra Lappis",
      openButton: "Jeara Ikäneuvos",
      newMessage: "Ođđa dieđáhus",
      closeButton: "Gidde",
      settings: "Heivehusat",
      textSize: "Teavstta sturrodat",
      smaller: "Unnit",
      larger: "Stuorit",
      smallerText: "Unnit teaksta",
      largerText: "Stuorit teaksta",
      highContrast: "Stuora kontrásta",
      language: "Giella",
      startOver: "Álgge ođđasit",
      startOverQuestion: "Háliidatgo sihkkut dán ságastallama ja álgit ođđasit?",
      startOverYes: "Juo, álgge ođđasit",
      startOverNo: "Gaskkalduhte",
      startedOver: "Ságastallan álggii ođđasit.",
      conversation: "Ságastallan",
      you: "Don",
      notice: "Dieđáhus",
      quickReplies: "Vástádusmolssaeavttut",
      inputLabel: "Čále gažaldagat",
      inputHint: "Enter sádde dieđáhusa. Shift + Enter álggaha ođđa linnjá.",
      send: "Sádde",
      typing: "Ikäneuvo čállá vástádusa…",
      connecting: "Čatnamin Ikäneuvoi…",
      offline: "Ii leat oktavuohta. Geahččalan čatnat ođđasit.",
      pending: "Sáddejuvvo go oktavuohta doaibmá.",
      noAnswer: "Ikäneuvo ii vástit dál.",
      connectionLost: "Oktavuohta Ikäneuvoi botkanii. Geahččalan čatnat ođđasit.",
      helpWithPhone:
        "Jos dárbbašat veahki dakkaviđe, riŋge áššehas- ja bálvalusbagadussii: {phone}. " +
        "Heahtedilis riŋge 112.",
      helpWithoutPhone:
        "Jos dus lea hoahppu dearvvašvuođaášši, riŋge Päivystysapu-nummirii 116 117. " +
        "Heahtedilis riŋge 112.",
      reconnected:
        "Oktavuohta doaibmá fas. Sáhtát joatkit ságastallama. " +
        "Jos it ožžon vástádusa dieđáhussii, čále dan ođđasit.",
      // Awaiting native speaker review, like every Sámi text here (feedback, printing,
      // reading aloud were added later: check them too).
      helpfulQuestion: "Leigo vástádusas ávki?",
      helpfulYes: "Juo",
      helpfulNo: "Ii",
      feedbackComment: "Mii váilui? (eaktodáhtolaš)",
      feedbackCommentHint: "Ale čále nama dahje telefonnummira.",
      feedbackThanks: "Giitu máhcahagas!",
      feedbackFailed: "Máhcahaga ii sáhttán vurket. Sáhtát joatkit ságastallama.",
      printConversation: "Čálit olggos dahje vurke ságastallama",
      printHeading: "{title} – ságastallan",
      readAloud: "Loga jitnosit",
      stopReading: "Heaitte lohkamis",
    },
  };

  /**
   * One of LANGUAGES for a language tag ("sv", "sv-FI", "sme", "se_FI"), else null.
   */
  function languageCode(value) {
    if (typeof value !== "string") {
      return null;
    }
    var primary = value.trim().toLowerCase().replace(/_/g, "-").split("-")[0];
    if (primary === "sme") {
      primary = "se";
    }
    return LANGUAGES.indexOf(primary) >= 0 ? primary : null;
  }

  var TEXT_SCALES = [1, 1.15, 1.3, 1.5, 1.75, 2];
  var MAX_STORED_ENTRIES = 200;
  var MAX_MESSAGE_LENGTH = 1000;
  // A dropped connection that comes back within this time (a page change, a server restart)
  // is not reported in the conversation.
  var OUTAGE_GRACE_MS = 2500;
  var ALLOWED_LINK_SCHEMES = ["https:", "tel:", "mailto:"];

  // The id the server gives an answer of the catalogue (bot_uttered's "answer"): the rating
  // question is shown under that message, and the rating names it.
  var ANSWER_ID_RE = /^[0-9a-f]{32}$/;
  var MAX_COMMENT_LENGTH = 300;
  // A rating that gets no reply in this time is reported as not saved.
  var FEEDBACK_TIMEOUT_MS = 15000;
  // The language tag read aloud when the voice does not give one with a region.
  var SPEECH_LANGS = { fi: "fi-FI", sv: "sv-SE", en: "en-GB", se: "se-NO" };
  // The printed date's language. Browsers without Sámi dates print it in digits (2.12.2026).
  var DATE_LOCALES = { fi: "fi-FI", sv: "sv-FI", en: "en-GB", se: "se-FI" };
  // On the page's <html> while the widget prints its conversation: widget-print.css then
  // hides the page's own content.
  var PRINTING_CLASS = "ikaneuvo-printing";

  // ---------------------------------------------------------------- text → safe link parts

  // Finnish phone numbers: national (040 000 0001, 016 322 4000, 0800 12345), international
  // (+358 40 000 0001) and the short service numbers 112 and 116 xxx (116 117). The pattern is
  // bot/text/phone.py's PHONE_IN_TEXT, written in here when the server sends this file.
  var PHONE_RE = new RegExp("__PHONE_IN_TEXT__", "g");
  var MARKDOWN_LINK_RE = /\[([^\]\n]{1,200})\]\(((?:https:\/\/|tel:|mailto:)[^)\s]+)\)/g;
  var URL_RE = /\b(?:https:\/\/|www\.)[^\s<>"']+/g;
  var EMAIL_RE = /\b[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}\b/g;
  var TRAILING_PUNCTUATION_RE = /[.,;:!?)\]]+$/;

  /** The URL if it is allowed as a link target, else null. */
  function safeHref(href) {
    try {
      var url = new URL(href);
      return ALLOWED_LINK_SCHEMES.indexOf(url.protocol) >= 0 ? url.href : null;
    } catch (error) {
      return null;
    }
  }

  function phoneHref(number) {
    var digits = number.replace(/\(0\)/, "").replace(/[^0-9+]/g, "");
    return "tel:" + digits;
  }

  function nextMatch(line, from) {
    var best = null;
    var finders = [
      [MARKDOWN_LINK_RE, function (m) {
        return { index: m.index, length: m[0].length, text: m[1], href: m[2] };
      }],
      [URL_RE, function (m) {
        var raw = m[0].replace(TRAILING_PUNCTUATION_RE, "");
        var href = raw.indexOf("www.") === 0 ? "https://" + raw : raw;
        return { index: m.index, length: raw.length, text: raw, href: href };
      }],
      [EMAIL_RE, function (m) {
        return { index: m.index, length: m[0].length, text: m[0], href: "mailto:" + m[0] };
      }],
      [PHONE_RE, function (m) {
        var start = m.index + m[1].length;
        return { index: start, length: m[2].length, text: m[2], href: phoneHref(m[2]) };
      }],
    ];
    finders.forEach(function (finder) {
      var re = finder[0];
      re.lastIndex = from;
      var m = re.exec(line);
      if (m) {
        var found = finder[1](m);
        if (found.length > 0 && (best === null || found.index < best.index)) {
          best = found;
        }
      }
    });
    return best;
  }

  /**
   * A line of text as parts: {text} for plain text, {text, href} for a link. Only https:,
   * tel: and mailto: links are made; anything else stays text.
   */
  function linkParts(line) {
    var parts = [];
    var position = 0;
    while (position < line.length) {
      var found = nextMatch(line, position);
      if (found === null) {
        break;
      }
      var href = safeHref(found.href);
      if (found.index > position) {
        parts.push({ text: line.slice(position, found.index) });
      }
      parts.push(href ? { text: found.text, href: href } : { text: line.substr(found.index, found.length) });
      position = found.index + found.length;
    }
    if (position < line.length) {
      parts.push({ text: line.slice(position) });
    }
    // Merge neighbouring plain parts.
    return parts.reduce(function (merged, part) {
      var last = merged[merged.length - 1];
      if (last && !last.href && !part.href) {
        last.text += part.text;
      } else {
        merged.push({ text: part.text, href: part.href });
      }
      return merged;
    }, []).map(function (part) {
      return part.href ? part : { text: part.text };
    });
  }

  function format(template, values) {
    return template.replace(/\{(\w+)\}/g, function (whole, name) {
      return Object.prototype.hasOwnProperty.call(values, name) ? values[name] : whole;
    });
  }

  // ---------------------------------------------------------------- configuration

  function findOwnScript() {
    if (document.currentScript) {
      return document.currentScript;
    }
    var scripts = document.querySelectorAll("script[src*='widget.js']");
    return scripts.length ? scripts[scripts.length - 1] : null;
  }

  function readConfig(script) {
    var data = (script && script.dataset) || {};
    var scriptUrl = new URL(script && script.src ? script.src : document.baseURI, document.baseURI);
    var base = new URL(".", scriptUrl);
    // The embedding page's data-lang, else the page's own language, else Finnish.
    var lang = languageCode(data.lang) || languageCode(document.documentElement.lang) || "fi";
    var serverUrl = (data.serverUrl || scriptUrl.origin).replace(/\/+$/, "");
    if (!/^https?:\/\//.test(serverUrl)) {
      throw new Error("Ikäneuvo: data-server-url must be an http(s) address");
    }
    var timeout = parseFloat(data.responseTimeout);
    // Ratings go to the web application that serves this file, unless data-feedback-url
    // names another. Without a usable address the rating question is not shown.
    var feedbackUrl = (data.feedbackUrl || scriptUrl.origin).replace(/\/+$/, "");
    if (!/^https?:\/\//.test(feedbackUrl)) {
      feedbackUrl = null;
    }
    return {
      serverUrl: serverUrl,
      socketPath: data.socketPath || "/socket.io",
      lang: lang,
      title: data.title || "",
      startOpen: data.open === "true",
      phone: (data.phone || "").trim(),
      initPayload: data.initPayload === undefined ? "/greet" : data.initPayload,
      responseTimeoutMs: (timeout > 0 ? timeout : 8) * 1000,
      socketIoSrc: data.socketioSrc || new URL("vendor/socket.io.min.js", base).href,
      stylesheet: new URL("widget.css", base).href,
      printStylesheet: new URL("widget-print.css", base).href,
      feedbackUrl: feedbackUrl,
      storageKey: "ikaneuvo:" + serverUrl,
    };
  }

  // ---------------------------------------------------------------- storage

  function storageGet(storage, key, fallback) {
    try {
      var raw = window[storage].getItem(key);
      return raw ? JSON.parse(raw) : fallback;
    } catch (error) {
      return fallback;
    }
  }

  function storageSet(storage, key, value) {
    try {
      if (value === null) {
        window[storage].removeItem(key);
      } else {
        window[storage].setItem(key, JSON.stringify(value));
      }
    } catch (error) {
      // Storage full or switched off: the conversation then lasts as long as the page.
    }
  }

  // ---------------------------------------------------------------- DOM helpers

  function el(tag, attributes, children) {
    var node = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (name) {
      var value = attributes[name];
      if (value === null || value === undefined || value === false) {
        return;
      }
      if (name === "text") {
        node.textContent = value;
      } else if (name === "className") {
        node.className = value;
      } else {
        node.setAttribute(name, value === true ? "" : String(value));
      }
    });
    (children || []).forEach(function (child) {
      node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    });
    return node;
  }

  function icon(pathData) {
    var ns = "http://www.w3.org/2000/svg";
    var svg = document.createElementNS(ns, "svg");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    svg.setAttribute("class", "ikn-icon");
    var path = document.createElementNS(ns, "path");
    path.setAttribute("d", pathData);
    svg.appendChild(path);
    return svg;
  }

  var ICON_CHAT =
    "M4 3h16a2 2 0 0 1 2 2v11a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2zm2 5v2h12V8H6zm0 4v2h8v-2H6z";
  var ICON_CLOSE =
    "M6.4 5 12 10.6 17.6 5 19 6.4 13.4 12 19 17.6 17.6 19 12 13.4 6.4 19 5 17.6 10.6 12 5 6.4z";
  var ICON_PRINT =
    "M19 8H5a3 3 0 0 0-3 3v6h4v4h12v-4h4v-6a3 3 0 0 0-3-3zm-3 11H8v-5h8v5zm3-7a1 1 0 1 1 0-2 1 1 0 0 1 0 2zM18 3H6v4h12V3z";
  var ICON_SPEAKER =
    "M3 9v6h4l5 5V4L7 9H3zm13.5 3A4.5 4.5 0 0 0 14 8v8a4.5 4.5 0 0 0 2.5-4zM14 3.2v2.1a7 7 0 0 1 0 13.4v2.1a9 9 0 0 0 0-17.6z";
  var ICON_STOP = "M6 6h12v12H6z";

  /** The check mark of a chosen button (aria-pressed="true"): not the colour alone. */
  function checkMark() {
    return el("span", { className: "ikn-check", "aria-hidden": "true", text: "✓" });
  }

  /** The long date in ``lang`` ("2. joulukuuta 2026"), or in digits where the browser
   * does not know that language's dates (Northern Sámi, as a rule). */
  function longDate(date, lang) {
    var locale = DATE_LOCALES[lang] || DATE_LOCALES.fi;
    try {
      if (window.Intl && Intl.DateTimeFormat.supportedLocalesOf([locale]).length) {
        return new Intl.DateTimeFormat(locale, { day: "numeric", month: "long", year: "numeric" })
          .format(date);
      }
    } catch (error) {
      // An old browser: the digits below.
    }
    return date.getDate() + "." + (date.getMonth() + 1) + "." + date.getFullYear();
  }

  /** Whether an https: link's text is something else than its address ("Lapha" for
   * https://lapha.fi/, not "lapha.fi" or the address itself). */
  function namesOtherThanAddress(part) {
    if (part.href.indexOf("https:") !== 0) {
      return false;
    }
    var bare = function (address) {
      return address.replace(/^https:\/\//, "").replace(/^www\./, "").replace(/\/+$/, "");
    };
    return bare(part.text) !== bare(part.href);
  }

  /** Text with line breaks and safe links, built node by node. */
  function richText(text, withLinks) {
    var fragment = document.createDocumentFragment();
    String(text).split("\n").forEach(function (line, index) {
      if (index > 0) {
        fragment.appendChild(document.createElement("br"));
      }
      var parts = withLinks ? linkParts(line) : [{ text: line }];
      parts.forEach(function (part) {
        if (part.href) {
          var link = el("a", { href: part.href, className: "ikn-link", text: part.text });
          if (namesOtherThanAddress(part)) {
            // Printed with its address after it: paper has no links.
            link.className += " ikn-link--named";
          }
          fragment.appendChild(link);
        } else {
          fragment.appendChild(document.createTextNode(part.text));
        }
      });
    });
    return fragment;
  }

  // ---------------------------------------------------------------- the widget

  /** Stored entries as the widget itself wrote them; anything else is left out. */
  function validEntries(entries) {
    if (!Array.isArray(entries)) {
      return [];
    }
    return entries.filter(function (entry) {
      return entry && ["user", "bot", "notice"].indexOf(entry.from) >= 0 &&
        typeof entry.text === "string";
    }).map(function (entry) {
      var replies = Array.isArray(entry.replies) ? entry.replies.filter(function (reply) {
        return reply && typeof reply.title === "string" && typeof reply.payload === "string";
      }) : [];
      var valid = {
        from: entry.from, text: entry.text, replies: replies, lang: languageCode(entry.lang),
        repliesUsed: Boolean(entry.repliesUsed), pending: Boolean(entry.pending),
        payload: typeof entry.payload === "string" ? entry.payload : undefined,
      };
      // An answer's id, and the rating the server has stored for it.
      if (entry.from === "bot" && typeof entry.answer === "string" && ANSWER_ID_RE.test(entry.answer)) {
        valid.answer = entry.answer;
        if (typeof entry.helpful === "boolean") {
          valid.helpful = entry.helpful;
          valid.commented = entry.helpful === false && Boolean(entry.commented);
        }
      }
      return valid;
    });
  }

  function Widget(config) {
    this.config = config;
    var stored = storageGet("sessionStorage", config.storageKey, {}) || {};
    // A conversation going on keeps its language; a new one starts in the page's.
    this.lang = languageCode(stored.lang) || config.lang;
    this.t = TEXTS[this.lang];
    // Widget texts to change with the language: {node, key, attribute}.
    this.translated = [];
    this.state = {
      sessionId: typeof stored.sessionId === "string" ? stored.sessionId : null,
      entries: validEntries(stored.entries),
      open: typeof stored.open === "boolean" ? stored.open : config.startOpen,
      greeted: Boolean(stored.greeted),
      unread: Boolean(stored.unread),
    };
    var prefersContrast = window.matchMedia && window.matchMedia("(prefers-contrast: more)").matches;
    var prefs = storageGet("localStorage", "ikaneuvo:preferences", {});
    this.prefs = {
      scale: TEXT_SCALES.indexOf(prefs.scale) >= 0 ? prefs.scale : 1,
      contrast: typeof prefs.contrast === "boolean" ? prefs.contrast : Boolean(prefersContrast),
    };
    this.socket = null;
    this.confirmed = false;
    this.waiting = 0; // user messages sent and not yet acknowledged by the server
    this.responseTimer = null;
    this.outageTimer = null;
    this.outageReported = false;
    this.unloading = false;
    // The rating of each answer while it is being given (by answer id): the choice not yet
    // stored, the comment being written, the status said. Not stored: only what the server
    // has stored survives a reload.
    this.ratings = {};
    // Reading aloud, where the browser can: its voices may come later (voiceschanged).
    this.synth = window.speechSynthesis && window.SpeechSynthesisUtterance ? window.speechSynthesis : null;
    this.voices = this.currentVoices();
    this.reading = null;
    // For element ids that must be unique in the widget.
    this.uid = 0;
  }

  Widget.prototype.save = function () {
    var entries = this.state.entries.slice(-MAX_STORED_ENTRIES);
    this.state.entries = entries;
    storageSet("sessionStorage", this.config.storageKey, {
      sessionId: this.state.sessionId,
      lang: this.lang,
      entries: entries,
      open: this.state.open,
      greeted: this.state.greeted,
      unread: this.state.unread,
    });
  };

  Widget.prototype.savePreferences = function () {
    storageSet("localStorage", "ikaneuvo:preferences", this.prefs);
  };

  /** ``node`` shows the widget text ``key`` (as ``attribute``, else as its text), in the
   * widget's current language whenever that changes. */
  Widget.prototype.translate = function (node, key, attribute) {
    this.translated.push({ node: node, key: key, attribute: attribute });
    if (attribute) {
      node.setAttribute(attribute, this.t[key]);
    } else {
      node.textContent = this.t[key];
    }
    return node;
  };

  /** A span showing the widget text ``key``. */
  Widget.prototype.words = function (key) {
    return this.translate(el("span"), key);
  };

  Widget.prototype.build = function () {
    var self = this;
    var host = el("div", { "data-ikaneuvo-widget": VERSION });
    // Shown once the stylesheet has loaded, so that nothing unstyled flashes on the page.
    host.style.display = "none";
    var root = host.attachShadow({ mode: "open" });
    var stylesheet = el("link", { rel: "stylesheet", href: this.config.stylesheet });
    stylesheet.addEventListener("load", function () { host.style.display = ""; });
    stylesheet.addEventListener("error", function () { host.style.display = ""; });
    root.appendChild(stylesheet);

    this.launcherText = this.translate(el("span", { className: "ikn-launcher-text" }), "openButton");
    this.badge = this.translate(el("span", { className: "ikn-badge", hidden: true }), "newMessage");
    this.launcher = el("button", {
      type: "button", className: "ikn-launcher", "aria-expanded": "false",
      "aria-controls": "ikn-panel",
    }, [icon(ICON_CHAT), this.launcherText, this.badge]);

    this.title = el("h2", { id: "ikn-title", className: "ikn-title" });
    if (this.config.title) {
      this.title.textContent = this.config.title;
    } else {
      this.translate(this.title, "title");
    }
    this.closeButton = el("button", { type: "button", className: "ikn-button ikn-close" },
      [icon(ICON_CLOSE), this.words("closeButton")]);
    // On short screens (strong zoom) the toolbar folds behind this button to leave room for
    // the conversation; elsewhere the button is not shown and the toolbar always is.
    this.settingsButton = el("button", {
      type: "button", className: "ikn-button ikn-settings", "aria-expanded": "false",
      "aria-controls": "ikn-toolbar",
    }, [this.words("settings")]);
    var header = el("div", { className: "ikn-header" }, [
      el("div", { className: "ikn-heading" }, [
        this.title, this.translate(el("p", { className: "ikn-subtitle" }), "subtitle"),
      ]),
      el("div", { className: "ikn-header-buttons" }, [this.settingsButton, this.closeButton]),
    ]);

    // Visible words, and names that start with them (WCAG 2.5.3, label in name).
    this.smaller = this.translate(el("button", { type: "button", className: "ikn-button ikn-size-button" },
      [el("span", { className: "ikn-glyph", "aria-hidden": "true", text: "−" }),
        this.words("smaller")]), "smallerText", "aria-label");
    this.larger = this.translate(el("button", { type: "button", className: "ikn-button ikn-size-button" },
      [el("span", { className: "ikn-glyph", "aria-hidden": "true", text: "+" }),
        this.words("larger")]), "largerText", "aria-label");
    this.sizeValue = el("output", { className: "ikn-size-value", "aria-live": "polite" });
    this.contrastButton = el("button", {
      type: "button", className: "ikn-button ikn-contrast", "aria-pressed": "false",
    }, [el("span", { className: "ikn-check", "aria-hidden": "true", text: "✓" }),
      this.words("highContrast")]);
    this.restartButton = el("button", { type: "button", className: "ikn-button ikn-restart" },
      [this.words("startOver")]);
    // Next to "Aloita alusta", always in view with its words: the conversation on paper (or
    // as a PDF) to keep or show to a relative.
    this.printButton = el("button", { type: "button", className: "ikn-button ikn-print" },
      [icon(ICON_PRINT), this.words("printConversation")]);

    // The language choice: each language named in its own language, and marked so.
    this.languageButtons = {};
    var languages = el("div", {
      className: "ikn-languages", role: "group", "aria-labelledby": "ikn-language-label",
    }, [this.translate(el("span", { id: "ikn-language-label", className: "ikn-language-label" }),
      "language")]);
    LANGUAGES.forEach(function (code) {
      var button = el("button", {
        type: "button", className: "ikn-button ikn-language", lang: code, "data-lang": code,
        "aria-pressed": "false",
      }, [el("span", { className: "ikn-check", "aria-hidden": "true", text: "✓" }),
        LANGUAGE_NAMES[code]]);
      self.languageButtons[code] = button;
      languages.appendChild(button);
    });

    var toolbar = el("div", { id: "ikn-toolbar", className: "ikn-toolbar" }, [
      el("div", { className: "ikn-size", role: "group", "aria-labelledby": "ikn-size-label" }, [
        this.translate(el("span", { id: "ikn-size-label", className: "ikn-size-label" }), "textSize"),
        this.smaller, this.sizeValue, this.larger,
      ]),
      this.contrastButton,
      this.restartButton,
      this.printButton,
      languages,
    ]);

    this.confirmYes = el("button", { type: "button", className: "ikn-button ikn-button--primary" },
      [this.words("startOverYes")]);
    this.confirmNo = el("button", { type: "button", className: "ikn-button" },
      [this.words("startOverNo")]);
    this.confirm = el("div", {
      className: "ikn-confirm", role: "group", "aria-labelledby": "ikn-confirm-question",
      hidden: true,
    }, [
      this.translate(el("p", { id: "ikn-confirm-question" }), "startOverQuestion"),
      el("div", { className: "ikn-confirm-buttons" }, [this.confirmYes, this.confirmNo]),
    ]);

    this.log = this.translate(el("div", {
      className: "ikn-log", role: "log", "aria-live": "polite", tabindex: "0",
    }), "conversation", "aria-label");
    this.typingText = el("span");
    this.typing = el("p", { className: "ikn-typing", role: "status" }, [
      el("span", { className: "ikn-dots", "aria-hidden": "true" }), this.typingText,
    ]);
    this.connection = el("p", { className: "ikn-connection", role: "status" });

    this.input = el("textarea", {
      id: "ikn-input", className: "ikn-input", rows: "2", maxlength: String(MAX_MESSAGE_LENGTH),
      "aria-describedby": "ikn-input-hint", autocomplete: "off",
    });
    this.sendButton = el("button", {
      type: "submit", className: "ikn-button ikn-button--primary ikn-send",
    }, [this.words("send")]);
    this.form = el("form", { className: "ikn-form" }, [
      this.translate(el("label", { for: "ikn-input", className: "ikn-label" }), "inputLabel"),
      this.translate(el("p", { id: "ikn-input-hint", className: "ikn-hint" }), "inputHint"),
      el("div", { className: "ikn-input-row" }, [this.input, this.sendButton]),
    ]);

    // Only on paper: the heading and the date, written when printing starts.
    this.printTitle = el("h2", { className: "ikn-print-title" });
    this.printDate = el("p", { className: "ikn-print-date" });
    var printHeading = el("div", { className: "ikn-print-only" }, [this.printTitle, this.printDate]);

    this.panel = el("section", {
      id: "ikn-panel", className: "ikn-panel", "aria-labelledby": "ikn-title", hidden: true,
    }, [printHeading, header, toolbar, this.confirm, this.log, this.typing, this.connection,
      this.form]);

    this.root = el("div", { className: "ikn", lang: this.lang }, [this.launcher, this.panel]);
    root.appendChild(this.root);
    this.host = host;
    this.addPrintStylesheet();

    this.state.entries.forEach(function (entry, index) { self.renderEntry(entry, index); });
    this.applyPreferences();
    this.applyLanguage();
    this.bind();
    return host;
  };

  Widget.prototype.bind = function () {
    var self = this;
    this.launcher.addEventListener("click", function () { self.open(true); });
    this.closeButton.addEventListener("click", function () { self.close(true); });
    this.settingsButton.addEventListener("click", function () {
      var expanded = self.settingsButton.getAttribute("aria-expanded") !== "true";
      self.settingsButton.setAttribute("aria-expanded", expanded ? "true" : "false");
      self.root.classList.toggle("ikn--settings-open", expanded);
    });
    this.smaller.addEventListener("click", function () { self.changeTextSize(-1); });
    this.larger.addEventListener("click", function () { self.changeTextSize(1); });
    this.contrastButton.addEventListener("click", function () {
      self.prefs.contrast = !self.prefs.contrast;
      self.savePreferences();
      self.applyPreferences();
    });
    this.restartButton.addEventListener("click", function () {
      self.confirm.hidden = false;
      self.confirmNo.focus();
    });
    this.printButton.addEventListener("click", function () { self.printConversation(); });
    window.addEventListener("afterprint", function () { self.endPrinting(); });
    if (this.synth) {
      var voicesChanged = function () {
        self.voices = self.currentVoices();
        self.refreshReadAloud();
      };
      if (this.synth.addEventListener) {
        this.synth.addEventListener("voiceschanged", voicesChanged);
      } else {
        this.synth.onvoiceschanged = voicesChanged;
      }
    }
    this.confirmNo.addEventListener("click", function () {
      self.confirm.hidden = true;
      self.restartButton.focus();
    });
    this.confirmYes.addEventListener("click", function () {
      self.confirm.hidden = true;
      self.startOver();
      self.input.focus();
    });
    LANGUAGES.forEach(function (code) {
      self.languageButtons[code].addEventListener("click", function () {
        self.chooseLanguage(code);
      });
    });
    this.form.addEventListener("submit", function (event) {
      event.preventDefault();
      self.sendFromInput();
    });
    this.input.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        self.sendFromInput();
      }
    });
    this.panel.addEventListener("keydown", function (event) {
      if (event.key !== "Escape") {
        return;
      }
      event.preventDefault();
      if (!self.confirm.hidden) {
        self.confirm.hidden = true;
        self.restartButton.focus();
      } else {
        self.close(true);
      }
    });
    window.addEventListener("pagehide", function () {
      self.unloading = true;
      self.stopReading();
    });
    window.addEventListener("pageshow", function () { self.unloading = false; });
    // Any element of the page can open the widget: <button data-ikaneuvo-open>…</button>
    document.addEventListener("click", function (event) {
      var target = event.target && event.target.closest && event.target.closest("[data-ikaneuvo-open]");
      if (target) {
        event.preventDefault();
        self.open(true);
      }
    });
  };

  Widget.prototype.applyPreferences = function () {
    var scale = this.prefs.scale;
    this.root.style.setProperty("--ikn-scale", String(scale));
    this.root.classList.toggle("ikn--contrast", this.prefs.contrast);
    this.contrastButton.setAttribute("aria-pressed", this.prefs.contrast ? "true" : "false");
    this.sizeValue.textContent = Math.round(scale * 100) + " %";
    var index = TEXT_SCALES.indexOf(scale);
    this.smaller.setAttribute("aria-disabled", index <= 0 ? "true" : "false");
    this.larger.setAttribute("aria-disabled", index >= TEXT_SCALES.length - 1 ? "true" : "false");
  };

  // ---------------------------------------------------------------- language

  /** The widget's texts and its lang attribute in the current language. */
  Widget.prototype.applyLanguage = function () {
    var t = this.t;
    this.translated.forEach(function (item) {
      if (item.attribute) {
        item.node.setAttribute(item.attribute, t[item.key]);
      } else {
        item.node.textContent = t[item.key];
      }
    });
    this.root.setAttribute("lang", this.lang);
    var lang = this.lang;
    var buttons = this.languageButtons;
    LANGUAGES.forEach(function (code) {
      buttons[code].setAttribute("aria-pressed", code === lang ? "true" : "false");
    });
    if (this.connectionKey) {
      this.connection.textContent = t[this.connectionKey];
    }
    if (this.typing.classList.contains("ikn-typing--shown")) {
      this.typingText.textContent = t.typing;
    }
  };

  /** Change the widget's language (a code of LANGUAGES; anything else is ignored). The
   * messages already shown keep theirs. */
  Widget.prototype.setLanguage = function (code) {
    code = languageCode(code);
    if (!code || code === this.lang) {
      return;
    }
    this.lang = code;
    this.t = TEXTS[code];
    this.save();
    if (this.root) {
      this.applyLanguage();
    }
  };

  /** The user chose a language: the widget speaks it now, and asks the assistant to. */
  Widget.prototype.chooseLanguage = function (code) {
    this.setLanguage(code);
    this.send("/change_language" + JSON.stringify({ language: code }), LANGUAGE_NAMES[code], code);
  };

  Widget.prototype.changeTextSize = function (step) {
    var index = TEXT_SCALES.indexOf(this.prefs.scale) + step;
    if (index < 0 || index >= TEXT_SCALES.length) {
      return;
    }
    this.prefs.scale = TEXT_SCALES[index];
    this.savePreferences();
    this.applyPreferences();
  };

  // ---------------------------------------------------------------- open / close

  Widget.prototype.open = function (moveFocus) {
    this.state.open = true;
    this.state.unread = false;
    this.save();
    this.panel.hidden = false;
    this.launcher.hidden = true;
    this.launcher.setAttribute("aria-expanded", "true");
    this.updateBadge();
    this.scrollToEnd();
    this.connect();
    this.maybeGreet();
    if (moveFocus) {
      this.input.focus();
    }
  };

  Widget.prototype.close = function (moveFocus) {
    this.state.open = false;
    this.save();
    this.panel.hidden = true;
    this.launcher.hidden = false;
    this.launcher.setAttribute("aria-expanded", "false");
    if (moveFocus) {
      this.launcher.focus();
    }
  };

  Widget.prototype.updateBadge = function () {
    this.badge.hidden = !this.state.unread;
  };

  // ---------------------------------------------------------------- transcript

  Widget.prototype.addEntry = function (entry) {
    this.state.entries.push(entry);
    this.save();
    var node = this.renderEntry(entry, this.state.entries.length - 1);
    // An answer comes in parts: keep its first part in view, so it is read from the start.
    if (entry.from === "bot") {
      this.answerStart = this.answerStart || node;
    } else {
      this.answerStart = null;
    }
    this.scrollTo(this.answerStart || node, node);
    if (!this.state.open && entry.from !== "user") {
      this.state.unread = true;
      this.save();
      this.updateBadge();
    }
    return node;
  };

  /** A message as shown: all of it, the speaker's name and the widget's notes in it too, in
   * the message's own language (entry.lang), which its lang attribute says. */
  Widget.prototype.renderEntry = function (entry, index) {
    var lang = entry.lang || this.config.lang;
    var t = TEXTS[lang];
    var self = this;
    var previous = this.state.entries[index - 1];
    var continued = previous && previous.from === entry.from && entry.from === "bot";
    var who = { user: t.you, bot: this.config.title || t.title, notice: t.notice }[entry.from] || "";
    var node = el("div", {
      className: "ikn-entry ikn-entry--" + entry.from + (continued ? " ikn-entry--continued" : ""),
      "data-index": String(index),
      lang: lang,
    });
    var label = el("p", { className: "ikn-who" }, [who]);
    if (continued) {
      label.className = "ikn-who ikn-visually-hidden";
      node.appendChild(label);
    } else if (entry.from === "bot") {
      // An answer's first part: "Lue ääneen" beside the name reads all its parts.
      var head = el("div", { className: "ikn-entry-head" }, [label]);
      node.appendChild(head);
      this.updateReadAloud(head);
    } else {
      node.appendChild(label);
    }
    if (entry.text) {
      var bubble = el("div", { className: "ikn-bubble" });
      bubble.appendChild(richText(entry.text, entry.from !== "user"));
      node.appendChild(bubble);
    }
    if (entry.from === "user" && entry.pending) {
      node.appendChild(el("p", { className: "ikn-pending", text: t.pending }));
    }
    if (entry.replies && entry.replies.length && !entry.repliesUsed) {
      var group = el("div", { className: "ikn-replies", role: "group", "aria-label": t.quickReplies });
      entry.replies.forEach(function (reply) {
        var button = el("button", { type: "button", className: "ikn-button ikn-reply" }, [reply.title]);
        button.addEventListener("click", function () {
          self.send(reply.payload, reply.title);
          // The buttons are gone now: go on from the text field.
          self.input.focus();
        });
        group.appendChild(button);
      });
      node.appendChild(group);
    }
    if (entry.from === "bot" && entry.answer && this.state.sessionId && this.config.feedbackUrl) {
      node.appendChild(this.renderRating(entry));
    }
    var old = this.log.querySelector('[data-index="' + index + '"]');
    if (old) {
      this.log.replaceChild(node, old);
    } else {
      this.log.appendChild(node);
    }
    return node;
  };

  /** Quick replies are for answering the latest question only: remove them once used. */
  Widget.prototype.retireReplies = function () {
    var changed = false;
    this.state.entries.forEach(function (entry) {
      if (entry.replies && entry.replies.length && !entry.repliesUsed) {
        entry.repliesUsed = true;
        changed = true;
      }
    });
    if (changed) {
      this.save();
      Array.prototype.forEach.call(this.log.querySelectorAll(".ikn-replies"), function (group) {
        group.parentNode.removeChild(group);
      });
    }
  };

  /** Scroll to the end, unless the text from ``first`` to ``last`` does not fit: then to
   * the start of ``first``. */
  Widget.prototype.scrollTo = function (first, last) {
    var log = this.log;
    var top = first.offsetTop - log.offsetTop;
    var bottom = last.offsetTop - log.offsetTop + last.offsetHeight;
    if (bottom - top > log.clientHeight) {
      log.scrollTop = top - 8;
    } else {
      log.scrollTop = log.scrollHeight;
    }
  };

  Widget.prototype.scrollToEnd = function () {
    this.log.scrollTop = this.log.scrollHeight;
  };

  /** A notice of the widget's own in the conversation: the text ``key`` and whom to call. */
  Widget.prototype.notice = function (key) {
    var t = this.t;
    var help = this.config.phone
      ? format(t.helpWithPhone, { phone: this.config.phone })
      : t.helpWithoutPhone;
    this.addEntry({ from: "notice", text: t[key] + " " + help, lang: this.lang });
  };

  // ---------------------------------------------------------------- rating an answer

  /** The rating being given to ``entry``'s answer (see this.ratings). */
  Widget.prototype.ratingOf = function (entry) {
    var rating = this.ratings[entry.answer];
    if (!rating) {
      rating = this.ratings[entry.answer] = {
        choice: entry.helpful, // true, false, or undefined before the first choice
        failed: false, sending: false, queued: null, draft: "", said: "", view: null,
      };
    }
    return rating;
  };

  /** "Oliko vastauksesta apua?" with Kyllä / Ei; after Ei an optional comment. In the
   * answer's own language. */
  Widget.prototype.renderRating = function (entry) {
    var self = this;
    var t = TEXTS[entry.lang || this.config.lang];
    var rating = this.ratingOf(entry);
    var id = "ikn-rating-" + (this.uid += 1);

    var question = el("p", { id: id + "-question", className: "ikn-rating-question",
      text: t.helpfulQuestion });
    var yes = el("button", { type: "button", className: "ikn-button ikn-rating-choice ikn-rating-yes",
      "aria-pressed": "false" }, [checkMark(), t.helpfulYes]);
    var no = el("button", { type: "button", className: "ikn-button ikn-rating-choice ikn-rating-no",
      "aria-pressed": "false" }, [checkMark(), t.helpfulNo]);
    var choices = el("div", { className: "ikn-rating-choices", role: "group",
      "aria-labelledby": question.id }, [question, el("div", { className: "ikn-rating-buttons" }, [yes, no])]);

    var comment = el("textarea", {
      id: id + "-comment", className: "ikn-comment-input", rows: "3",
      maxlength: String(MAX_COMMENT_LENGTH), "aria-describedby": id + "-hint", autocomplete: "off",
    });
    comment.value = rating.draft;
    var form = el("form", { className: "ikn-comment", hidden: true }, [
      el("label", { for: comment.id, className: "ikn-comment-label", text: t.feedbackComment }),
      el("p", { id: id + "-hint", className: "ikn-comment-hint", text: t.feedbackCommentHint }),
      el("div", { className: "ikn-comment-row" }, [
        comment,
        el("button", { type: "submit", className: "ikn-button ikn-button--primary ikn-comment-send" },
          [t.send]),
      ]),
    ]);
    // Polite, like the connection's status line: said once the server has answered.
    var status = el("p", { className: "ikn-rating-status", role: "status" });

    yes.addEventListener("click", function () { self.rate(entry, true); });
    no.addEventListener("click", function () { self.rate(entry, false); });
    comment.addEventListener("input", function () { rating.draft = comment.value; });
    // As in the question field: Enter sends, Shift + Enter starts a new line.
    comment.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        self.sendComment(entry);
      }
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      self.sendComment(entry);
    });

    var node = el("div", { className: "ikn-rating" }, [choices, form, status]);
    rating.view = { node: node, yes: yes, no: no, form: form, comment: comment, status: status, t: t };
    this.showRating(entry);
    return node;
  };

  /** Scroll the conversation so that ``node`` is in view to its end (the comment field that
   * opened, the status just said), when it is not. */
  Widget.prototype.keepInView = function (node) {
    var box = this.log.getBoundingClientRect();
    var rect = node.getBoundingClientRect();
    if (rect.bottom > box.bottom) {
      this.log.scrollTop += Math.min(rect.bottom - box.bottom + 8, rect.top - box.top);
    }
  };

  /** The rating's buttons, comment field and status as they now are. */
  Widget.prototype.showRating = function (entry) {
    var rating = this.ratingOf(entry);
    var view = rating.view;
    if (!view) {
      return;
    }
    view.yes.setAttribute("aria-pressed", rating.choice === true ? "true" : "false");
    view.no.setAttribute("aria-pressed", rating.choice === false ? "true" : "false");
    // The comment is offered after "Ei" until one has been stored.
    view.form.hidden = !(rating.choice === false && !entry.commented);
    view.status.textContent = rating.said ? view.t[rating.said] : "";
  };

  /** Say ``key`` (feedbackThanks, feedbackFailed) in the rating's status line. */
  Widget.prototype.sayAboutRating = function (entry, key) {
    var rating = this.ratingOf(entry);
    rating.said = key;
    var view = rating.view;
    if (!view) {
      return;
    }
    // Emptied first, so that the same words said again ("Kiitos palautteesta!" after the
    // comment too) are announced again.
    view.status.textContent = "";
    var self = this;
    setTimeout(function () {
      if (rating.said === key) {
        view.status.textContent = view.t[key];
        if (view.node.contains(self.host.shadowRoot.activeElement)) {
          self.keepInView(view.node);
        }
      }
    }, 100);
  };

  /** Kyllä (``helpful`` true) or Ei. The same choice again only retries one not saved. */
  Widget.prototype.rate = function (entry, helpful) {
    var rating = this.ratingOf(entry);
    if (rating.choice === helpful && !rating.failed) {
      return;
    }
    rating.choice = helpful;
    this.showRating(entry);
    if (rating.view) {
      this.keepInView(rating.view.node);
    }
    this.postRating(entry, { helpful: helpful });
  };

  Widget.prototype.sendComment = function (entry) {
    var rating = this.ratingOf(entry);
    var field = rating.view.comment;
    rating.draft = field.value;
    var text = field.value.trim().slice(0, MAX_COMMENT_LENGTH);
    if (!text) {
      field.focus();
      return;
    }
    rating.choice = false;
    this.postRating(entry, { helpful: false, comment: text });
  };

  /** Send the rating to the web application: one at a time per answer, the latest last,
   * so that the server keeps the person's final choice. */
  Widget.prototype.postRating = function (entry, fields) {
    var self = this;
    var rating = this.ratingOf(entry);
    var body = {
      session: this.state.sessionId,
      answer: entry.answer,
      helpful: fields.helpful,
      lang: entry.lang || this.config.lang,
    };
    if (fields.comment) {
      body.comment = fields.comment;
    }
    if (rating.sending) {
      rating.queued = body;
      return;
    }
    rating.sending = true;
    postJson(this.config.feedbackUrl + "/api/public/ratings", body, function (stored) {
      rating.sending = false;
      if (stored) {
        entry.helpful = body.helpful;
        entry.commented = Boolean(body.comment);
        if (body.comment) {
          rating.draft = "";
          rating.view.comment.value = "";
        }
        self.save();
      }
      if (rating.queued) {
        var next = rating.queued;
        rating.queued = null;
        self.postRating(entry, { helpful: next.helpful, comment: next.comment });
        return;
      }
      rating.failed = !stored;
      var view = rating.view;
      var focusWasInForm = view.form.contains(self.host.shadowRoot.activeElement);
      self.showRating(entry);
      if (focusWasInForm && view.form.hidden) {
        // The comment was sent and its field is gone: go on from the chosen button.
        view.no.focus();
      }
      // On failure the comment stays in its field, to be sent again.
      self.sayAboutRating(entry, stored ? "feedbackThanks" : "feedbackFailed");
    });
  };

  /** POST ``body`` as JSON, without cookies; ``done(true)`` when the server stored it
   * (a 2xx answer, 204 as a rule), ``done(false)`` on any failure or after a timeout. */
  function postJson(url, body, done) {
    if (!window.fetch) {
      setTimeout(function () { done(false); }, 0);
      return;
    }
    var controller = window.AbortController ? new AbortController() : null;
    var finished = false;
    var finish = function (stored) {
      if (!finished) {
        finished = true;
        clearTimeout(timer);
        done(stored);
      }
    };
    var timer = setTimeout(function () {
      if (controller) {
        controller.abort();
      }
      finish(false);
    }, FEEDBACK_TIMEOUT_MS);
    window.fetch(url, {
      method: "POST",
      credentials: "omit",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body),
      signal: controller ? controller.signal : undefined,
    }).then(function (response) {
      finish(response.ok);
    }, function () {
      finish(false);
    });
  }

  // ---------------------------------------------------------------- printing

  /** The page's print stylesheet, which hides the page while the conversation is printed.
   * In the page, not in the shadow root, since the page's own content must be hidden; a
   * file, not a <style>, since pages may allow only their own styles (style-src). Loaded
   * now, so that printing need not wait; it does nothing until PRINTING_CLASS is set. */
  Widget.prototype.addPrintStylesheet = function () {
    var self = this;
    var href = this.config.printStylesheet;
    var existing = document.querySelector('link[data-ikaneuvo-print]');
    if (existing) {
      this.printSheet = existing;
      this.printSheetReady = true;
      return;
    }
    var link = el("link", { rel: "stylesheet", media: "print", href: href, "data-ikaneuvo-print": "" });
    var ready = function () {
      self.printSheetReady = true;
      if (self.printWhenReady) {
        self.printWhenReady();
      }
    };
    link.addEventListener("load", ready);
    link.addEventListener("error", ready);
    (document.head || document.documentElement).appendChild(link);
    this.printSheet = link;
  };

  /** Print the conversation alone, all of it, with a heading and today's date. */
  Widget.prototype.printConversation = function () {
    var self = this;
    var t = this.t;
    this.printTitle.textContent = format(t.printHeading, { title: this.config.title || t.title });
    this.printDate.textContent = longDate(new Date(), this.lang);
    this.printTitle.setAttribute("lang", this.lang);
    this.printDate.setAttribute("lang", this.lang);
    document.documentElement.classList.add(PRINTING_CLASS);
    this.root.classList.add("ikn--printing");
    // The page's title heads the printed pages and names a saved PDF: the conversation's
    // name and date meanwhile.
    if (this.pageTitle === undefined) {
      this.pageTitle = document.title;
    }
    document.title = this.printTitle.textContent + " " + this.printDate.textContent;
    var printed = false;
    var print = function () {
      if (printed) {
        return;
      }
      printed = true;
      self.printWhenReady = null;
      clearTimeout(self.printTimer);
      window.print();
    };
    if (this.printSheetReady) {
      print();
    } else {
      // Printing before the page's print stylesheet is there would print the whole page.
      this.printWhenReady = print;
      this.printTimer = setTimeout(print, 3000);
    }
  };

  /** After printing (or cancelling it) the page prints as itself again. */
  Widget.prototype.endPrinting = function () {
    if (this.pageTitle !== undefined) {
      document.title = this.pageTitle;
      this.pageTitle = undefined;
    }
    document.documentElement.classList.remove(PRINTING_CLASS);
    if (this.root) {
      this.root.classList.remove("ikn--printing");
    }
  };

  // ---------------------------------------------------------------- reading aloud

  Widget.prototype.currentVoices = function () {
    try {
      return (this.synth && this.synth.getVoices()) || [];
    } catch (error) {
      return [];
    }
  };

  /** A voice of the browser for the widget language ``code``, else null. */
  Widget.prototype.voiceFor = function (code) {
    for (var i = 0; i < this.voices.length; i += 1) {
      if (this.voices[i] && languageCode(this.voices[i].lang) === code) {
        return this.voices[i];
      }
    }
    return null;
  };

  /** The "Lue ääneen" button of the answer whose first part's name row is ``head``: there
   * only when the browser has a voice for the answer's language. */
  Widget.prototype.updateReadAloud = function (head) {
    var self = this;
    var lang = head.parentNode ? head.parentNode.getAttribute("lang") : null;
    var button = head.querySelector(".ikn-speak");
    if (!this.synth || !this.voiceFor(lang)) {
      if (button) {
        if (this.reading && this.reading.head === head) {
          this.stopReading();
        }
        head.removeChild(button);
      }
      return;
    }
    if (button) {
      return;
    }
    var words = el("span");
    button = el("button", { type: "button", className: "ikn-button ikn-speak" },
      [icon(ICON_SPEAKER), words]);
    button.addEventListener("click", function () { self.toggleReading(head); });
    head.appendChild(button);
    this.showReading(head);
  };

  Widget.prototype.refreshReadAloud = function () {
    var self = this;
    Array.prototype.forEach.call(this.log.querySelectorAll(".ikn-entry-head"), function (head) {
      self.updateReadAloud(head);
    });
  };

  /** The button's words and icon: "Lopeta lukeminen" while its answer is read. */
  Widget.prototype.showReading = function (head) {
    var button = head.querySelector(".ikn-speak");
    if (!button) {
      return;
    }
    var t = TEXTS[languageCode(head.parentNode.getAttribute("lang")) || this.config.lang];
    var reading = Boolean(this.reading && this.reading.head === head);
    button.replaceChild(icon(reading ? ICON_STOP : ICON_SPEAKER), button.firstChild);
    button.lastChild.textContent = reading ? t.stopReading : t.readAloud;
  };

  /** The parts of the answer that starts at ``node``: {text, lang} as shown, links by
   * their text. */
  function answerParts(node) {
    var parts = [];
    for (var entry = node; entry; entry = entry.nextElementSibling) {
      if (entry !== node && !entry.classList.contains("ikn-entry--continued")) {
        break;
      }
      var bubble = entry.querySelector(".ikn-bubble");
      if (bubble) {
        var text = "";
        Array.prototype.forEach.call(bubble.childNodes, function (child) {
          text += child.nodeName === "BR" ? "\n" : child.textContent;
        });
        if (text.trim()) {
          parts.push({ text: text, lang: entry.getAttribute("lang") });
        }
      }
    }
    return parts;
  }

  Widget.prototype.toggleReading = function (head) {
    var self = this;
    if (this.reading && this.reading.head === head) {
      this.stopReading();
      return;
    }
    this.stopReading();
    var parts = answerParts(head.parentNode);
    if (!parts.length) {
      return;
    }
    var reading = { head: head };
    this.reading = reading;
    parts.forEach(function (part, index) {
      var utterance = new window.SpeechSynthesisUtterance(part.text);
      var code = languageCode(part.lang) || self.config.lang;
      var voice = self.voiceFor(code);
      var voiceLang = voice && typeof voice.lang === "string" ? voice.lang.replace(/_/g, "-") : "";
      utterance.lang = voiceLang.indexOf("-") > 0 ? voiceLang : SPEECH_LANGS[code];
      try {
        utterance.voice = voice;
      } catch (error) {
        // Not a voice the browser made itself: the language alone then chooses.
      }
      if (index === parts.length - 1) {
        utterance.onend = utterance.onerror = function () {
          if (self.reading === reading) {
            self.reading = null;
            self.showReading(head);
          }
        };
      }
      self.synth.speak(utterance);
    });
    this.showReading(head);
  };

  Widget.prototype.stopReading = function () {
    var reading = this.reading;
    if (!reading) {
      return;
    }
    this.reading = null;
    this.synth.cancel();
    this.showReading(reading.head);
  };

  // ---------------------------------------------------------------- talking to Rasa

  Widget.prototype.loadSocketIo = function (callback) {
    if (this.io) {
      callback(this.io);
      return;
    }
    var self = this;
    // socket.io's bundle sets window.io: keep the page's own io, if it has one.
    var pageIo = window.io;
    var tag = el("script", { src: this.config.socketIoSrc, async: true });
    tag.addEventListener("load", function () {
      self.io = window.io;
      if (pageIo === undefined) {
        try { delete window.io; } catch (error) { window.io = undefined; }
      } else {
        window.io = pageIo;
      }
      callback(self.io);
    });
    tag.addEventListener("error", function () {
      self.reportOutage("connectionLost");
      self.ioLoading = false;
    });
    document.head.appendChild(tag);
  };

  Widget.prototype.connect = function () {
    var self = this;
    if (this.socket || this.ioLoading) {
      return;
    }
    this.ioLoading = true;
    this.setConnectionStatus("connecting");
    this.loadSocketIo(function (io) {
      self.ioLoading = false;
      var socket = io(self.config.serverUrl, {
        path: self.config.socketPath,
        reconnection: true,
        reconnectionDelay: 1000,
        reconnectionDelayMax: 5000,
        timeout: self.config.responseTimeoutMs,
      });
      self.socket = socket;
      // After "Aloita alusta" the old socket is closed and replaced: it has no say any more.
      var current = function () { return socket === self.socket; };
      socket.on("connect", function () {
        if (!current()) {
          return;
        }
        self.confirmed = false;
        socket.emit("session_request", { session_id: self.state.sessionId });
      });
      socket.on("session_confirm", function (data) {
        if (!current()) {
          return;
        }
        var id = typeof data === "string" ? data : data && data.session_id;
        if (id) {
          self.state.sessionId = id;
        }
        self.confirmed = true;
        self.save();
        self.connectionRestored();
        self.flushPending();
        self.maybeGreet();
      });
      socket.on("bot_uttered", function (message) {
        if (current()) {
          self.receive(message);
        }
      });
      socket.on("disconnect", function (reason) {
        if (!current()) {
          return;
        }
        self.confirmed = false;
        self.waiting = 0;
        self.stopWaiting();
        if (reason === "io client disconnect") {
          return;
        }
        if (reason === "io server disconnect") {
          // The server ended the connection: socket.io does not retry by itself then.
          setTimeout(function () { if (current()) { socket.connect(); } }, 2000);
        }
        self.connectionDropped();
      });
      socket.on("connect_error", function () {
        if (!current()) {
          return;
        }
        if (!socket.active) {
          // Refused, not merely unreachable: socket.io gives up, so try again later.
          setTimeout(function () { if (current()) { socket.connect(); } }, 5000);
        }
        self.connectionDropped();
      });
    });
  };

  Widget.prototype.connectionDropped = function () {
    var self = this;
    if (this.unloading || this.outageTimer) {
      return;
    }
    this.outageTimer = setTimeout(function () {
      self.outageTimer = null;
      if (self.confirmed || self.unloading) {
        return;
      }
      self.setConnectionStatus("offline");
      self.reportOutage("connectionLost");
    }, OUTAGE_GRACE_MS);
  };

  Widget.prototype.reportOutage = function (key) {
    if (this.outageReported) {
      return;
    }
    this.outageReported = true;
    this.stopWaiting();
    this.notice(key);
  };

  Widget.prototype.connectionRestored = function () {
    clearTimeout(this.outageTimer);
    this.outageTimer = null;
    this.setConnectionStatus(this.statusAfterConnect || "");
    this.statusAfterConnect = "";
    if (this.outageReported) {
      this.outageReported = false;
      this.addEntry({ from: "notice", text: this.t.reconnected, lang: this.lang });
    }
  };

  /** The connection's status line: the widget text ``key``, or nothing for "". */
  Widget.prototype.setConnectionStatus = function (key) {
    this.connectionKey = key || "";
    this.connection.textContent = key ? this.t[key] : "";
    this.connection.classList.toggle("ikn-connection--shown", Boolean(key));
  };

  Widget.prototype.maybeGreet = function () {
    if (!this.state.open || !this.confirmed || this.state.greeted || !this.config.initPayload) {
      return;
    }
    if (this.state.entries.length > 0) {
      return;
    }
    this.state.greeted = true;
    this.save();
    this.emit(this.greeting(), this.lang);
  };

  /** The first message of a conversation. A bare intent ("/greet") gets the widget's
   * language as an entity, so that the assistant greets in it: a payload is not read by the
   * NLU, which is where the metadata's language is used. */
  Widget.prototype.greeting = function () {
    var payload = this.config.initPayload;
    if (/^\/[A-Za-z0-9_]+$/.test(payload)) {
      payload += JSON.stringify({ language: this.lang });
    }
    return payload;
  };

  Widget.prototype.sendFromInput = function () {
    var text = this.input.value.trim();
    if (!text) {
      this.input.focus();
      return;
    }
    this.input.value = "";
    this.send(text, text);
    this.input.focus();
  };

  /** Send ``payload`` to the assistant and show ``shown`` as what the user said, in
   * ``lang`` (by default the widget's language). */
  Widget.prototype.send = function (payload, shown, lang) {
    payload = String(payload).slice(0, MAX_MESSAGE_LENGTH);
    if (this.confirmed) {
      this.setConnectionStatus("");
    }
    this.retireReplies();
    this.state.greeted = true;
    var entry = {
      from: "user", text: String(shown || payload), payload: payload, lang: lang || this.lang,
    };
    if (this.confirmed) {
      this.addEntry(entry);
      this.emit(payload, entry.lang);
    } else {
      entry.pending = true;
      this.addEntry(entry);
      this.connect();
    }
  };

  Widget.prototype.flushPending = function () {
    var self = this;
    this.state.entries.forEach(function (entry, index) {
      if (entry.pending) {
        delete entry.pending;
        self.renderEntry(entry, index);
        self.emit(entry.payload || entry.text, entry.lang);
      }
    });
    this.save();
  };

  /** Send a message, telling the assistant the language it was written in (``lang``, by
   * default the widget's). */
  Widget.prototype.emit = function (payload, lang) {
    var self = this;
    var socket = this.socket;
    this.waiting += 1;
    this.startWaiting();
    var data = {
      message: payload,
      session_id: this.state.sessionId,
      metadata: { language: languageCode(lang) || this.lang },
    };
    // Rasa acknowledges a message once it has handled it and sent every answer to it.
    socket.emit("user_uttered", data, function () {
      if (socket !== self.socket) {
        return;
      }
      self.waiting = Math.max(0, self.waiting - 1);
      if (self.waiting === 0) {
        self.stopWaiting();
      }
    });
  };

  Widget.prototype.startWaiting = function () {
    var self = this;
    this.typingText.textContent = this.t.typing;
    this.typing.classList.add("ikn-typing--shown");
    clearTimeout(this.responseTimer);
    this.responseTimer = setTimeout(function () {
      self.responseTimer = null;
      self.reportOutage("noAnswer");
    }, this.config.responseTimeoutMs);
  };

  Widget.prototype.stopWaiting = function () {
    clearTimeout(this.responseTimer);
    this.responseTimer = null;
    this.typingText.textContent = "";
    this.typing.classList.remove("ikn-typing--shown");
  };

  Widget.prototype.receive = function (message) {
    if (!message || typeof message !== "object") {
      return;
    }
    // The assistant answers: whatever was reported about a silent server is over.
    clearTimeout(this.responseTimer);
    this.responseTimer = null;
    if (this.outageReported && this.confirmed) {
      this.outageReported = false;
    }
    if (this.waiting > 0) {
      // More answers may follow until Rasa acknowledges the message; should that
      // acknowledgement never come, the typing indicator still goes away.
      var self = this;
      this.responseTimer = setTimeout(function () {
        self.responseTimer = null;
        self.waiting = 0;
        self.stopWaiting();
      }, this.config.responseTimeoutMs * 2);
    }
    var replies = [];
    (message.quick_replies || message.buttons || []).forEach(function (button) {
      if (button && typeof button.title === "string" && typeof button.payload === "string") {
        replies.push({ title: button.title, payload: button.payload });
      }
    });
    var text = typeof message.text === "string" ? message.text : "";
    var attachment = message.attachment;
    if (!text && attachment && attachment.payload && typeof attachment.payload.src === "string") {
      var href = safeHref(attachment.payload.src);
      text = href || "";
    }
    if (!text && !replies.length) {
      return;
    }
    // The widget follows the language the assistant speaks.
    var lang = languageCode(message.lang);
    if (lang) {
      this.setLanguage(lang);
    }
    var entry = { from: "bot", text: text, replies: replies, lang: lang || this.lang };
    // The last part of an answer of the catalogue carries the answer's id.
    if (typeof message.answer === "string" && ANSWER_ID_RE.test(message.answer)) {
      entry.answer = message.answer;
    }
    this.addEntry(entry);
  };

  Widget.prototype.startOver = function () {
    if (this.socket) {
      this.socket.disconnect();
    }
    this.socket = null;
    this.confirmed = false;
    this.waiting = 0;
    this.stopWaiting();
    clearTimeout(this.outageTimer);
    this.outageTimer = null;
    this.outageReported = false;
    this.stopReading();
    this.ratings = {};
    this.state.sessionId = null;
    this.state.entries = [];
    this.state.greeted = false;
    this.state.unread = false;
    this.save();
    while (this.log.firstChild) {
      this.log.removeChild(this.log.firstChild);
    }
    this.answerStart = null;
    this.statusAfterConnect = "startedOver";
    this.connect();
  };

  // ---------------------------------------------------------------- start

  function start() {
    var script = findOwnScript();
    var config;
    try {
      config = readConfig(script);
    } catch (error) {
      if (window.console) {
        window.console.error(error.message);
      }
      return;
    }
    var widget = new Widget(config);
    var mount = function () {
      document.body.appendChild(widget.build());
      if (widget.state.open) {
        widget.open(false);
      } else if (widget.state.sessionId) {
        // A conversation is going on: stay connected so that answers still arrive.
        widget.updateBadge();
        widget.connect();
      }
    };
    if (document.body) {
      mount();
    } else {
      document.addEventListener("DOMContentLoaded", mount);
    }
    window.IkaneuvoWidget.widget = widget;
  }

  window.IkaneuvoWidget = {
    started: true,
    version: VERSION,
    texts: TEXTS,
    languages: LANGUAGES,
    languageNames: LANGUAGE_NAMES,
    languageCode: languageCode,
    linkParts: linkParts,
    /** The widget's current language. */
    language: function () { return this.widget ? this.widget.lang : null; },
    open: function () { if (this.widget) { this.widget.open(true); } },
    close: function () { if (this.widget) { this.widget.close(true); } },
    startOver: function () { if (this.widget) { this.widget.startOver(); } },
  };
  start();
})(window, document);
