/**
 * The programme's default export-readiness grid, SIPPO-ERG version 1.
 *
 * Written for Moroccan exporting SMEs, GIEs and (often women's) cooperatives. Dimension weights
 * sum to 100 so that a dimension's weight reads as its share of the score.
 *
 * Knock-outs are the points on which a foreign buyer refuses to deal, whatever the rest:
 * - no legal existence (ICE and RC, or cooperative registration) caps at D;
 * - food and fish products without ONSSA sanitary approval cap at C.
 *
 * Sector criteria apply by HS code prefix (`appliesTo.hsChapters`): fishing (03, 16),
 * textile (50–63), saffron (0910), organic (agri-food chapters).
 */
import type { Criterion, Dimension, GridDefinition, Multilingual } from './definition.js';

const t = (fr: string, en: string): Multilingual => ({ fr, en });

/** HS chapters of food products under ONSSA control (animal and vegetable, raw and processed). */
const FOOD_CHAPTERS = [
  '02',
  '03',
  '04',
  '07',
  '08',
  '09',
  '10',
  '11',
  '12',
  '15',
  '16',
  '17',
  '18',
  '19',
  '20',
  '21',
  '22',
];
const FISH_CHAPTERS = ['03', '16'];
/** Section XI, textiles and textile articles: chapters 50 to 63. */
const TEXTILE_CHAPTERS = Array.from({ length: 14 }, (_, i) => String(50 + i));
/** Fresh and processed fruit, vegetables and fish: the products EACCE controls at export. */
const EACCE_CHAPTERS = ['03', '07', '08', '16', '20'];
const SAFFRON = ['0910'];

const yesNo = { type: 'boolean' } as const;
const scale = (maxLevel: number) => ({ type: 'scale', maxLevel }) as const;

const legal: Dimension = {
  code: 'LEGAL',
  title: t('Légal et formalisation', 'Legal & formalisation'),
  weight: 15,
  criteria: [
    {
      code: 'LEG_REGISTRATION',
      title: t(
        'Existence légale : ICE et inscription au registre du commerce (RC), ou coopérative inscrite au registre des coopératives (ODCo)',
        'Legal existence: ICE and trade register (RC) entry, or cooperative listed in the cooperatives register (ODCo)',
      ),
      weight: 3,
      answer: yesNo,
      knockout: { cap: 'D' },
      recommendation: t(
        "Immatriculer l'entreprise au registre du commerce et obtenir l'Identifiant commun de l'entreprise (ICE) via le portail de l'OMPIC ou le Centre régional d'investissement ; pour une coopérative, finaliser l'inscription au registre local et au registre central des coopératives (ODCo) puis demander l'ICE. Aucun acheteur étranger ni transitaire ne peut facturer ou dédouaner sans ces identifiants.",
        'Register the company in the trade register and obtain the Common Company Identifier (ICE) through the OMPIC portal or the Regional Investment Centre; for a cooperative, complete its entry in the local and central cooperatives registers (ODCo) and then request the ICE. No foreign buyer or forwarder can invoice or clear goods without these identifiers.',
      ),
    },
    {
      code: 'LEG_TAX',
      title: t(
        'Identifiant fiscal et attestation de régularité fiscale à jour',
        'Tax identifier and up-to-date tax compliance certificate',
      ),
      weight: 2,
      answer: yesNo,
      recommendation: t(
        "Régulariser les déclarations auprès de la DGI et télécharger l'attestation de régularité fiscale sur le portail SIMPL ; elle est demandée pour les marchés publics, les programmes d'appui (Maroc PME) et certains acheteurs.",
        'Bring tax returns up to date with the DGI and download the tax compliance certificate from the SIMPL portal; it is required for public tenders, support programmes (Maroc PME) and by some buyers.',
      ),
    },
    {
      code: 'LEG_CNSS',
      title: t(
        'Salariés déclarés à la CNSS',
        'Employees registered with the CNSS (social security)',
      ),
      weight: 2,
      answer: yesNo,
      notApplicableAllowed: true,
      recommendation: t(
        "Affilier l'entreprise à la CNSS et déclarer tous les salariés via Damancom ; les audits sociaux des acheteurs (amfori BSCI, SMETA) vérifient systématiquement ce point.",
        'Register the company with the CNSS and declare every employee through Damancom; buyers’ social audits (amfori BSCI, SMETA) always check this.',
      ),
    },
    {
      code: 'LEG_CUSTOMS',
      title: t(
        'Opérateur connu de la douane (ADII) pour les opérations d’export',
        'Known to customs (ADII) for export operations',
      ),
      weight: 1,
      answer: yesNo,
      recommendation: t(
        "Créer le compte de l'entreprise sur le système BADR de l'ADII et choisir un transitaire agréé ; préparer une première expédition test (échantillons) pour roder les documents.",
        'Open the company’s account on the ADII BADR system and appoint a licensed customs broker; run a first test shipment (samples) to rehearse the paperwork.',
      ),
    },
    {
      code: 'LEG_TRADEMARK',
      title: t('Protection de la marque', 'Trademark protection'),
      weight: 1,
      answer: {
        type: 'choice',
        options: [
          { code: 'none', score: 0, label: t('Aucune', 'None') },
          { code: 'morocco', score: 0.6, label: t('Déposée à l’OMPIC', 'Registered with OMPIC') },
          {
            code: 'international',
            score: 1,
            label: t(
              'Étendue aux marchés cibles (système de Madrid)',
              'Extended to target markets (Madrid system)',
            ),
          },
        ],
      },
      recommendation: t(
        "Déposer la marque auprès de l'OMPIC, puis l'étendre aux marchés cibles (UE, Suisse) par le système de Madrid de l'OMPI avant de les prospecter.",
        'File the trademark with OMPIC, then extend it to the target markets (EU, Switzerland) through WIPO’s Madrid system before prospecting them.',
      ),
    },
    {
      code: 'LEG_COOP_GOVERNANCE',
      title: t(
        'Gouvernance coopérative à jour (assemblée générale annuelle, comptes approuvés, registre des adhérent·es)',
        'Cooperative governance up to date (annual general meeting, approved accounts, members register)',
      ),
      weight: 1,
      answer: scale(3),
      appliesTo: { memberTypes: ['cooperative'] },
      help: t(
        '0 : rien de formalisé ; 1 : AG tenue ; 2 : AG et comptes approuvés ; 3 : tout cela et registre des adhérent·es à jour.',
        '0: nothing formalised; 1: general meeting held; 2: meeting and approved accounts; 3: all this and an up-to-date members register.',
      ),
      recommendation: t(
        "Tenir l'assemblée générale annuelle, faire approuver et déposer les comptes, tenir le registre des adhérent·es ; l'ODCo propose un accompagnement et des formations à la gestion coopérative.",
        'Hold the annual general meeting, have the accounts approved and filed, and keep the members register; ODCo offers support and training in cooperative management.',
      ),
    },
  ],
};

const production: Dimension = {
  code: 'PRODUCTION',
  title: t('Production et approvisionnement', 'Production & supply'),
  weight: 15,
  criteria: [
    {
      code: 'PRD_CAPACITY',
      title: t(
        "Capacité de production disponible pour l'export (% de la production annuelle)",
        'Production capacity available for export (% of annual output)',
      ),
      weight: 3,
      answer: {
        type: 'number',
        unit: '%',
        bands: [
          { min: 0, score: 0 },
          { min: 10, score: 0.4 },
          { min: 25, score: 0.7 },
          { min: 40, score: 1 },
        ],
      },
      recommendation: t(
        "Planifier la production pour réserver un volume export régulier (au moins 25 %) ; une coopérative peut mutualiser la production avec d'autres coopératives ou un GIE pour atteindre les volumes d'un premier conteneur.",
        'Plan production to reserve a regular export volume (at least 25%); a cooperative can pool output with other cooperatives or a GIE to reach the volume of a first container.',
      ),
    },
    {
      code: 'PRD_SUPPLY',
      title: t(
        'Sécurisation de l’approvisionnement en matières premières',
        'Secured supply of raw materials',
      ),
      weight: 2,
      answer: scale(4),
      help: t(
        '0 : achats au jour le jour ; 4 : contrats ou conventions avec les fournisseurs/adhérent·es, stock de sécurité, alternatives identifiées.',
        '0: day-to-day purchases; 4: contracts or agreements with suppliers/members, safety stock, alternatives identified.',
      ),
      recommendation: t(
        'Formaliser des conventions d’approvisionnement avec les producteurs ou adhérent·es (volumes, qualité, prix), constituer un stock de sécurité pour la saison et identifier une source de remplacement.',
        'Formalise supply agreements with growers or members (volumes, quality, prices), build a seasonal safety stock and identify a back-up source.',
      ),
    },
    {
      code: 'PRD_PROCESS',
      title: t(
        'Procédés de production documentés et maîtrisés',
        'Documented, controlled production processes',
      ),
      weight: 2,
      answer: scale(4),
      recommendation: t(
        'Rédiger les fiches de procédé et les fiches techniques produit, former le personnel et enregistrer les contrôles en cours de production ; le programme Tatwir de Maroc PME peut cofinancer la mise à niveau.',
        'Write process sheets and product specifications, train staff and record in-process checks; Maroc PME’s Tatwir programme can co-finance the upgrade.',
      ),
    },
    {
      code: 'PRD_PACKAGING',
      title: t(
        'Emballage et étiquetage adaptés à l’export',
        'Export-ready packaging and labelling',
      ),
      weight: 2,
      answer: {
        type: 'choice',
        options: [
          { code: 'none', score: 0, label: t('Vrac ou sans emballage', 'Bulk or unpacked') },
          {
            code: 'local',
            score: 0.3,
            label: t('Emballage marché local', 'Local-market packaging'),
          },
          {
            code: 'export',
            score: 0.7,
            label: t(
              'Emballage résistant, étiquetage en français/anglais',
              'Sturdy packaging, French/English labelling',
            ),
          },
          {
            code: 'compliant',
            score: 1,
            label: t(
              'Conforme aux règles d’étiquetage du marché cible, palettisé',
              'Meets the target market’s labelling rules, palletised',
            ),
          },
        ],
      },
      recommendation: t(
        "Adapter l'étiquetage aux exigences du marché cible (règlement UE 1169/2011 pour l'alimentaire : dénomination, ingrédients, allergènes, lot, DDM, origine) et tester la tenue de l'emballage au transport ; se faire accompagner par un designer d'emballage.",
        'Adapt labelling to the target market’s rules (EU Regulation 1169/2011 for food: name, ingredients, allergens, lot, best-before date, origin) and test that packaging withstands transport; work with a packaging designer.',
      ),
    },
    {
      code: 'PRD_LEAD_TIME',
      title: t(
        'Délai de livraison d’une commande export type (jours)',
        'Lead time of a typical export order (days)',
      ),
      weight: 1,
      // Shorter is better: band scores decrease as the number of days grows.
      answer: {
        type: 'number',
        unit: 'jours',
        bands: [
          { min: 0, score: 1 },
          { min: 30, score: 0.7 },
          { min: 60, score: 0.3 },
          { min: 90, score: 0 },
        ],
      },
      recommendation: t(
        'Réduire le délai sous 30 jours : planification de la production, stock de produits finis ou semi-finis, emballages commandés à l’avance, transitaire retenu avant la commande.',
        'Bring lead time under 30 days: production planning, stock of finished or semi-finished goods, packaging ordered in advance, forwarder chosen before the order.',
      ),
    },
  ],
};

const quality: Dimension = {
  code: 'QUALITY',
  title: t('Qualité et conformité réglementaire', 'Quality & regulatory compliance'),
  weight: 20,
  criteria: [
    {
      code: 'QLT_ONSSA',
      title: t(
        'Agrément ou autorisation sanitaire ONSSA de l’unité de production',
        'ONSSA sanitary approval or authorisation of the production unit',
      ),
      weight: 3,
      answer: yesNo,
      knockout: { cap: 'C' },
      appliesTo: { hsChapters: FOOD_CHAPTERS },
      recommendation: t(
        "Déposer le dossier d'agrément ou d'autorisation sanitaire auprès du service vétérinaire ou de la direction régionale de l'ONSSA, après mise en conformité des locaux (bonnes pratiques d'hygiène, circuits, eau potable) ; sans ce numéro, aucun produit alimentaire ne peut être exporté.",
        'File the sanitary approval or authorisation application with the ONSSA regional office after bringing the premises up to standard (good hygiene practice, flows, drinking water); without this number no food product can be exported.',
      ),
    },
    {
      code: 'QLT_FOOD_SAFETY',
      title: t('Système de sécurité des aliments', 'Food safety management system'),
      weight: 2,
      answer: {
        type: 'choice',
        options: [
          { code: 'none', score: 0, label: t('Aucun', 'None') },
          { code: 'haccp', score: 0.5, label: t('Plan HACCP appliqué', 'HACCP plan in place') },
          { code: 'iso22000', score: 0.8, label: t('ISO 22000 certifié', 'ISO 22000 certified') },
          {
            code: 'gfsi',
            score: 1,
            label: t('IFS, BRCGS ou FSSC 22000 certifié', 'IFS, BRCGS or FSSC 22000 certified'),
          },
        ],
      },
      appliesTo: { hsChapters: FOOD_CHAPTERS },
      recommendation: t(
        "Mettre en place un plan HACCP avec un consultant ou l'appui d'un programme de coopération, puis viser IFS ou BRCGS, exigés par la grande distribution européenne et suisse.",
        'Set up a HACCP plan with a consultant or cooperation-programme support, then aim for IFS or BRCGS, which European and Swiss retailers require.',
      ),
    },
    {
      code: 'QLT_QMS',
      title: t(
        'Contrôle qualité et gestion des réclamations',
        'Quality control and complaint handling',
      ),
      weight: 2,
      answer: scale(4),
      help: t(
        '0 : aucun contrôle ; 2 : contrôle à réception et avant expédition enregistré ; 4 : système documenté avec analyses régulières en laboratoire et traitement des réclamations.',
        '0: no control; 2: recorded incoming and pre-shipment checks; 4: documented system with regular laboratory analyses and complaint handling.',
      ),
      recommendation: t(
        'Définir les spécifications produit, enregistrer les contrôles à réception et avant expédition, faire analyser chaque lot export dans un laboratoire accrédité (résidus de pesticides, contaminants) et tenir un registre des réclamations.',
        'Define product specifications, record incoming and pre-shipment checks, have each export lot tested by an accredited laboratory (pesticide residues, contaminants) and keep a complaints log.',
      ),
    },
    {
      code: 'QLT_TRACEABILITY',
      title: t(
        'Traçabilité lot par lot, de la matière première au client',
        'Lot-by-lot traceability from raw material to customer',
      ),
      weight: 2,
      answer: yesNo,
      recommendation: t(
        'Attribuer un numéro de lot à chaque réception et à chaque production, le reporter sur les étiquettes et les factures, et tester un rappel fictif une fois par an.',
        'Give every intake and production run a lot number, carry it on labels and invoices, and run a mock recall once a year.',
      ),
    },
    {
      code: 'QLT_EACCE',
      title: t(
        "Produits conformes au contrôle technique à l'export de l'EACCE",
        'Products meeting EACCE export technical control',
      ),
      weight: 1,
      answer: yesNo,
      notApplicableAllowed: true,
      appliesTo: { hsChapters: EACCE_CHAPTERS },
      recommendation: t(
        "Se rapprocher de la délégation régionale de l'EACCE pour connaître les normes de commercialisation applicables, faire agréer la station de conditionnement et planifier le contrôle avant chaque expédition.",
        'Contact the EACCE regional office to learn the marketing standards that apply, have the packing station approved and schedule the inspection before each shipment.',
      ),
    },
    {
      code: 'FSH_EU_APPROVAL',
      title: t(
        'Établissement agréé pour l’UE (numéro d’agrément sanitaire sur la liste UE)',
        'EU-approved establishment (sanitary approval number on the EU list)',
      ),
      weight: 2,
      answer: yesNo,
      appliesTo: { hsChapters: FISH_CHAPTERS },
      recommendation: t(
        "Demander à l'ONSSA l'inscription de l'établissement sur la liste des établissements marocains autorisés à exporter vers l'UE (produits de la pêche) ; prévoir l'audit ONSSA et les exigences du règlement UE 2019/625.",
        'Ask ONSSA to put the establishment on the list of Moroccan establishments authorised to export fishery products to the EU; prepare for the ONSSA audit and the requirements of EU Regulation 2019/625.',
      ),
    },
  ],
};

const certifications: Dimension = {
  code: 'CERTIFICATIONS',
  title: t('Certifications et origine', 'Certifications & origin'),
  weight: 10,
  criteria: [
    {
      code: 'CRT_ORIGIN',
      title: t(
        "Maîtrise des règles d'origine préférentielle (EUR.1, accords Maroc–UE et Maroc–AELE)",
        'Command of preferential rules of origin (EUR.1, Morocco–EU and Morocco–EFTA agreements)',
      ),
      weight: 2,
      answer: {
        type: 'choice',
        options: [
          { code: 'none', score: 0, label: t('Non connues', 'Not known') },
          {
            code: 'known',
            score: 0.5,
            label: t('Connues, certificat déjà obtenu', 'Known, certificate obtained once'),
          },
          {
            code: 'routine',
            score: 1,
            label: t(
              'Preuves d’origine établies à chaque expédition',
              'Proofs of origin issued for every shipment',
            ),
          },
        ],
      },
      recommendation: t(
        "Vérifier que le produit remplit les règles d'origine de l'accord Maroc–AELE (Suisse) et de l'accord d'association Maroc–UE, conserver les justificatifs et demander le certificat EUR.1 auprès de la douane ; le droit de douane évité est un argument de prix auprès de l'acheteur.",
        'Check that the product meets the origin rules of the Morocco–EFTA (Switzerland) agreement and the EU–Morocco association agreement, keep the supporting documents and request the EUR.1 certificate from customs; the duty saved is a price argument with the buyer.',
      ),
    },
    {
      code: 'CRT_ORGANIC',
      title: t(
        'Certification biologique (règlement UE 2018/848, Bio Suisse)',
        'Organic certification (EU Regulation 2018/848, Bio Suisse)',
      ),
      weight: 2,
      answer: {
        type: 'choice',
        options: [
          { code: 'none', score: 0, label: t('Non certifié', 'Not certified') },
          { code: 'conversion', score: 0.5, label: t('En conversion', 'In conversion') },
          { code: 'eu', score: 0.8, label: t('Certifié UE 2018/848', 'EU 2018/848 certified') },
          {
            code: 'eu_biosuisse',
            score: 1,
            label: t('Certifié UE et Bio Suisse', 'EU and Bio Suisse certified'),
          },
        ],
      },
      notApplicableAllowed: true,
      appliesTo: { hsChapters: FOOD_CHAPTERS },
      recommendation: t(
        "Choisir un organisme certificateur reconnu par l'UE pour le Maroc, engager la conversion (registres, intrants autorisés), puis demander l'approbation Bio Suisse pour accéder à la grande distribution suisse ; présenter la gamme bio à Biofach.",
        'Choose a certification body recognised by the EU for Morocco, start conversion (records, permitted inputs), then apply for Bio Suisse approval to reach Swiss retailers; show the organic range at Biofach.',
      ),
    },
    {
      code: 'SAF_ISO3632',
      title: t(
        'Safran classé selon ISO 3632 par un laboratoire',
        'Saffron graded to ISO 3632 by a laboratory',
      ),
      weight: 2,
      answer: {
        type: 'choice',
        options: [
          { code: 'none', score: 0, label: t('Non analysé', 'Not tested') },
          {
            code: 'tested',
            score: 0.5,
            label: t('Analysé, catégorie II ou III', 'Tested, category II or III'),
          },
          {
            code: 'category1',
            score: 1,
            label: t('Catégorie I, chaque lot analysé', 'Category I, every lot tested'),
          },
        ],
      },
      notApplicableAllowed: true,
      appliesTo: { hsChapters: SAFFRON },
      recommendation: t(
        'Faire analyser chaque lot selon ISO 3632 (pouvoir colorant, amertume, arôme) par un laboratoire accrédité, améliorer le séchage pour atteindre la catégorie I et mettre en avant l’AOP Safran de Taliouine le cas échéant.',
        'Have every lot analysed to ISO 3632 (colouring strength, bitterness, aroma) by an accredited laboratory, improve drying to reach category I, and highlight the Taliouine saffron PDO where it applies.',
      ),
    },
    {
      code: 'TXT_CERTIFICATION',
      title: t(
        'Certifications textiles (OEKO-TEX Standard 100, GOTS, ISO 9001)',
        'Textile certifications (OEKO-TEX Standard 100, GOTS, ISO 9001)',
      ),
      weight: 2,
      answer: {
        type: 'choice',
        options: [
          { code: 'none', score: 0, label: t('Aucune', 'None') },
          { code: 'in_progress', score: 0.3, label: t('En cours', 'In progress') },
          { code: 'one', score: 0.7, label: t('Une certification', 'One certification') },
          {
            code: 'several',
            score: 1,
            label: t('Deux certifications ou plus', 'Two or more certifications'),
          },
        ],
      },
      appliesTo: { hsChapters: TEXTILE_CHAPTERS },
      recommendation: t(
        "Obtenir OEKO-TEX Standard 100 (substances nocives) pour les produits finis, GOTS pour les gammes en coton biologique et ISO 9001 pour l'organisation ; l'AMITH accompagne les entreprises du secteur dans ces démarches.",
        'Obtain OEKO-TEX Standard 100 (harmful substances) for finished goods, GOTS for organic-cotton ranges and ISO 9001 for the organisation; AMITH supports textile companies through these steps.',
      ),
    },
    {
      code: 'FSH_SUSTAINABLE',
      title: t(
        'Certification de pêche ou d’aquaculture durable (MSC, ASC)',
        'Sustainable fishing or aquaculture certification (MSC, ASC)',
      ),
      weight: 1,
      answer: {
        type: 'choice',
        options: [
          { code: 'none', score: 0, label: t('Aucune', 'None') },
          {
            code: 'chain_of_custody',
            score: 0.5,
            label: t('Chaîne de traçabilité MSC/ASC', 'MSC/ASC chain of custody'),
          },
          {
            code: 'certified',
            score: 1,
            label: t('Pêcherie ou ferme certifiée', 'Certified fishery or farm'),
          },
        ],
      },
      notApplicableAllowed: true,
      appliesTo: { hsChapters: FISH_CHAPTERS },
      recommendation: t(
        "S'approvisionner auprès de pêcheries certifiées MSC (par exemple la sardine marocaine) ou de fermes ASC et obtenir la certification de chaîne de traçabilité, demandée par les distributeurs européens et suisses.",
        'Source from MSC-certified fisheries (for example Moroccan sardine) or ASC farms and obtain chain-of-custody certification, which European and Swiss retailers ask for.',
      ),
    },
  ],
};

const management: Dimension = {
  code: 'MANAGEMENT',
  title: t('Management, finances et savoir-faire export', 'Management, finance & export know-how'),
  weight: 15,
  criteria: [
    {
      code: 'MGT_EXPORT_PLAN',
      title: t(
        'Plan export écrit (marchés cibles, objectifs, budget, calendrier)',
        'Written export plan (target markets, objectives, budget, timeline)',
      ),
      weight: 2,
      answer: scale(4),
      recommendation: t(
        "Rédiger un plan export sur trois ans : deux ou trois marchés prioritaires, volumes visés, budget de prospection et calendrier des salons ; l'ASMEX et les coachs SIPPO peuvent le relire.",
        'Write a three-year export plan: two or three priority markets, target volumes, prospecting budget and trade-fair calendar; ASMEX and SIPPO coaches can review it.',
      ),
    },
    {
      code: 'MGT_EXPORT_STAFF',
      title: t('Personne chargée de l’export', 'Person in charge of export'),
      weight: 2,
      answer: {
        type: 'choice',
        options: [
          { code: 'none', score: 0, label: t('Personne', 'Nobody') },
          { code: 'part_time', score: 0.5, label: t('À temps partiel', 'Part-time') },
          {
            code: 'dedicated',
            score: 1,
            label: t('Dédiée, formée, parlant anglais', 'Dedicated, trained, English-speaking'),
          },
        ],
      },
      recommendation: t(
        "Désigner une personne responsable de l'export, la former (formations de l'ASMEX ou des programmes de coopération) et s'assurer qu'elle échange en anglais avec les acheteurs.",
        'Appoint a person responsible for export, train them (ASMEX or cooperation-programme courses) and make sure they can deal with buyers in English.',
      ),
    },
    {
      code: 'MGT_INCOTERMS',
      title: t(
        'Maîtrise des Incoterms 2020 et des documents export',
        'Command of Incoterms 2020 and export documents',
      ),
      weight: 2,
      answer: scale(3),
      help: t(
        '0 : inconnus ; 1 : notions ; 2 : offre en FCA/FOB avec documents maîtrisés ; 3 : offres en plusieurs Incoterms (y compris CIF/DAP) chiffrées et documents sans erreur.',
        '0: unknown; 1: basic notions; 2: FCA/FOB offers with documents under control; 3: priced offers under several Incoterms (including CIF/DAP) and error-free documents.',
      ),
      recommendation: t(
        'Se former aux Incoterms 2020 et aux documents export (facture, liste de colisage, certificat d’origine, certificats sanitaires), commencer par des offres FCA ou FOB puis maîtriser CIF et DAP avec un transitaire.',
        'Learn Incoterms 2020 and export documents (invoice, packing list, certificate of origin, health certificates); start with FCA or FOB offers, then master CIF and DAP with a forwarder.',
      ),
    },
    {
      code: 'MGT_EXPORT_PRICING',
      title: t(
        'Prix export calculé (coût de revient complet, logistique, marge par Incoterm)',
        'Export price calculated (full cost, logistics, margin per Incoterm)',
      ),
      weight: 2,
      answer: yesNo,
      recommendation: t(
        'Construire une grille de prix export à partir du coût de revient complet (matières, main-d’œuvre, emballage, certification), ajouter transport, assurance et frais par Incoterm, et la comparer aux prix de détail relevés sur le marché cible.',
        'Build an export price list from the full cost (materials, labour, packaging, certification), add transport, insurance and fees per Incoterm, and compare it with retail prices observed in the target market.',
      ),
    },
    {
      code: 'MGT_FINANCE',
      title: t(
        'Financement et sécurisation des paiements export',
        'Export finance and payment security',
      ),
      weight: 2,
      answer: {
        type: 'choice',
        options: [
          { code: 'none', score: 0, label: t('Paiement non sécurisé', 'Unsecured payment') },
          {
            code: 'bank',
            score: 0.5,
            label: t(
              'Banque maîtrisant crédit et remise documentaires',
              'Bank handling letters of credit and documentary collections',
            ),
          },
          {
            code: 'insured',
            score: 1,
            label: t(
              'Plus assurance-crédit export et préfinancement',
              'Plus export credit insurance and pre-financing',
            ),
          },
        ],
      },
      recommendation: t(
        'Ouvrir avec sa banque une ligne de préfinancement export, utiliser le crédit documentaire pour les premiers clients, souscrire une assurance-crédit export et solliciter les garanties de Tamwilcom et les programmes de Maroc PME.',
        'Arrange export pre-financing with the bank, use letters of credit with first customers, take out export credit insurance, and apply for Tamwilcom guarantees and Maroc PME programmes.',
      ),
    },
    {
      code: 'MGT_EXPORT_SHARE',
      title: t(
        "Part du chiffre d'affaires réalisée à l'export (%)",
        'Share of turnover from exports (%)',
      ),
      weight: 1,
      answer: {
        type: 'number',
        unit: '%',
        bands: [
          { min: 0, score: 0 },
          { min: 1, score: 0.3 },
          { min: 10, score: 0.6 },
          { min: 30, score: 1 },
        ],
      },
      recommendation: t(
        "Commencer par des commandes tests auprès d'importateurs spécialisés ou via des exportateurs regroupeurs, puis augmenter progressivement la part export pour réduire la dépendance au marché local.",
        'Start with trial orders to specialised importers or through consolidating exporters, then grow the export share step by step to reduce dependence on the local market.',
      ),
    },
  ],
};

const market: Dimension = {
  code: 'MARKET',
  title: t('Connaissance des marchés et marketing', 'Market knowledge & marketing'),
  weight: 15,
  criteria: [
    {
      code: 'MKT_RESEARCH',
      title: t(
        'Connaissance des marchés cibles (exigences, prix, concurrence, réglementation)',
        'Knowledge of target markets (requirements, prices, competition, regulation)',
      ),
      weight: 3,
      answer: scale(4),
      recommendation: t(
        "Étudier deux marchés cibles avec les études de marché SIPPO, Trade Map et Market Access Map de l'ITC : droits de douane, normes, prix de détail, principaux importateurs ; en tirer une fiche par marché.",
        'Study two target markets using SIPPO market studies and ITC’s Trade Map and Market Access Map: duties, standards, retail prices, leading importers; summarise each market on one page.',
      ),
    },
    {
      code: 'MKT_TRADE_FAIRS',
      title: t(
        'Salons professionnels internationaux visités ou comme exposant (3 dernières années)',
        'International trade fairs visited or exhibited at (last 3 years)',
      ),
      weight: 2,
      answer: {
        type: 'number',
        unit: 'salons',
        bands: [
          { min: 0, score: 0 },
          { min: 1, score: 0.5 },
          { min: 3, score: 1 },
        ],
      },
      recommendation: t(
        "Participer à un salon de la filière (SIAL, Biofach, Anuga, Fruit Logistica, Seafood Expo Global, Texworld) sur un pavillon Maroc ou SIPPO : préparer des échantillons, une liste de prix et des rendez-vous B2B à l'avance.",
        'Take part in a sector fair (SIAL, Biofach, Anuga, Fruit Logistica, Seafood Expo Global, Texworld) on a Morocco or SIPPO pavilion: prepare samples, a price list and pre-booked B2B meetings.',
      ),
    },
    {
      code: 'MKT_SALES_MATERIALS',
      title: t(
        'Supports de vente pour l’export (catalogue, fiches techniques, liste de prix)',
        'Export sales materials (catalogue, specification sheets, price list)',
      ),
      weight: 2,
      answer: {
        type: 'choice',
        options: [
          { code: 'none', score: 0, label: t('Aucun', 'None') },
          { code: 'french', score: 0.5, label: t('En français seulement', 'French only') },
          {
            code: 'multilingual',
            score: 1,
            label: t(
              'En anglais et dans la langue du marché',
              'In English and the target market’s language',
            ),
          },
        ],
      },
      recommendation: t(
        'Préparer un catalogue et des fiches techniques en anglais (et en allemand pour la Suisse alémanique), avec photos professionnelles, spécifications, conditionnements, quantités minimales et délais.',
        'Prepare a catalogue and specification sheets in English (and German for German-speaking Switzerland) with professional photos, specifications, pack sizes, minimum quantities and lead times.',
      ),
    },
    {
      code: 'MKT_BUYERS',
      title: t(
        'Acheteurs étrangers ayant commandé au cours des 12 derniers mois',
        'Foreign buyers who ordered in the last 12 months',
      ),
      weight: 2,
      answer: {
        type: 'number',
        unit: 'acheteurs',
        bands: [
          { min: 0, score: 0 },
          { min: 1, score: 0.5 },
          { min: 3, score: 0.8 },
          { min: 5, score: 1 },
        ],
      },
      recommendation: t(
        "Transformer les contacts des salons et missions B2B en commandes tests, suivre chaque prospect dans un fichier clients et diversifier pour ne pas dépendre d'un seul acheteur.",
        'Turn contacts from fairs and B2B missions into trial orders, track every prospect in a customer file and diversify so as not to depend on a single buyer.',
      ),
    },
    {
      code: 'MKT_BRAND_STORY',
      title: t(
        'Identité de marque et histoire du produit (origine, savoir-faire, impact social)',
        'Brand identity and product story (origin, know-how, social impact)',
      ),
      weight: 1,
      answer: scale(3),
      recommendation: t(
        "Formuler l'histoire du produit (terroir, savoir-faire, coopérative de femmes, impact social) et la porter de façon cohérente sur l'emballage, le site et les salons ; les acheteurs du commerce équitable et de l'épicerie fine y sont sensibles.",
        'Tell the product’s story (terroir, know-how, women’s cooperative, social impact) and carry it consistently on packaging, website and at fairs; fair-trade and fine-food buyers respond to it.',
      ),
    },
  ],
};

const digital: Dimension = {
  code: 'DIGITAL',
  title: t('Numérique et durabilité', 'Digital & sustainability'),
  weight: 10,
  criteria: [
    {
      code: 'DIG_ONLINE',
      title: t('Présence en ligne professionnelle', 'Professional online presence'),
      weight: 2,
      answer: {
        type: 'choice',
        options: [
          { code: 'none', score: 0, label: t('Aucune', 'None') },
          {
            code: 'social',
            score: 0.4,
            label: t('Réseaux sociaux seulement', 'Social media only'),
          },
          {
            code: 'website',
            score: 0.8,
            label: t('Site web en français et en anglais', 'Website in French and English'),
          },
          {
            code: 'b2b',
            score: 1,
            label: t(
              'Site web et profil sur une plateforme B2B',
              'Website and a B2B marketplace profile',
            ),
          },
        ],
      },
      recommendation: t(
        'Créer un site bilingue français–anglais présentant produits, certifications et contacts, et un profil vérifié sur une plateforme B2B de la filière ; répondre aux demandes sous 48 heures.',
        'Build a French–English website presenting products, certifications and contacts, and a verified profile on a sector B2B marketplace; answer enquiries within 48 hours.',
      ),
    },
    {
      code: 'DIG_TOOLS',
      title: t(
        'Outils numériques de gestion (messagerie professionnelle, facturation et stocks informatisés)',
        'Digital management tools (business e-mail, computerised invoicing and stock)',
      ),
      weight: 1,
      answer: yesNo,
      recommendation: t(
        "Utiliser une adresse e-mail au nom de domaine de l'entreprise et un logiciel simple de facturation et de gestion des stocks ; les programmes de transformation digitale de Maroc PME peuvent en cofinancer l'acquisition.",
        'Use an e-mail address on the company’s own domain and simple invoicing and stock software; Maroc PME’s digital transformation programmes can co-finance it.',
      ),
    },
    {
      code: 'SUS_ENVIRONMENT',
      title: t(
        'Pratiques environnementales (eau, énergie, déchets, emballages)',
        'Environmental practices (water, energy, waste, packaging)',
      ),
      weight: 2,
      answer: scale(4),
      recommendation: t(
        "Mesurer les consommations d'eau et d'énergie, trier et valoriser les déchets, réduire le plastique des emballages et documenter ces actions : les acheteurs européens les demandent au titre de leur devoir de vigilance.",
        'Measure water and energy use, sort and recover waste, cut plastic in packaging and document these actions: European buyers ask for them under their due-diligence duties.',
      ),
    },
    {
      code: 'SUS_SOCIAL',
      title: t(
        'Conditions de travail documentées et conformes (âge minimum, sécurité, égalité femmes-hommes)',
        'Documented, compliant working conditions (minimum age, safety, gender equality)',
      ),
      weight: 2,
      answer: yesNo,
      recommendation: t(
        'Formaliser le règlement intérieur, les contrats, les registres de présence et les mesures de sécurité, et préparer un audit social (amfori BSCI, SMETA) ou une certification commerce équitable (Fairtrade, WFTO).',
        'Formalise internal rules, contracts, attendance records and safety measures, and prepare for a social audit (amfori BSCI, SMETA) or fair-trade certification (Fairtrade, WFTO).',
      ),
    },
  ],
};

export const defaultGrid: GridDefinition = {
  code: 'SIPPO-ERG',
  title: t('Grille de préparation à l’export SIPPO', 'SIPPO export-readiness grid'),
  description: t(
    'Grille par défaut du programme, version 1 : sept dimensions pondérées sur 100, critères sectoriels selon le code SH des produits.',
    'Programme default grid, version 1: seven dimensions weighted out of 100, sector criteria by the products’ HS codes.',
  ),
  minCoverage: 0.8,
  categories: [
    { code: 'A', label: t('Prêt à exporter', 'Export-ready'), minScore: 80 },
    { code: 'B', label: t('Presque prêt', 'Nearly ready'), minScore: 60 },
    { code: 'C', label: t('En développement', 'Developing'), minScore: 40 },
    { code: 'D', label: t('Pré-export', 'Pre-export'), minScore: 0 },
  ],
  dimensions: [legal, production, quality, certifications, management, market, digital],
};

/** Version number under which the default grid is seeded. */
export const DEFAULT_GRID_VERSION = 1;

/** Every criterion of the default grid, for seeding and tests. */
export const defaultGridCriteria: readonly Criterion[] = defaultGrid.dimensions.flatMap(
  (d) => d.criteria,
);
