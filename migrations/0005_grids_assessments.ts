import { type Kysely, sql } from 'kysely';

/**
 * Readiness grids (versioned definitions, frozen once published) and assessments of members
 * against them (docs/scoring.md). The programme's default grid SIPPO-ERG version 1 is inserted
 * here, published, as a frozen copy of its definition: a later edit of the source file cannot
 * change what "SIPPO-ERG v1" means on any database (a changed grid is a new version).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('grids')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().check(sql`version > 0`))
    .addColumn('status', 'text', (c) =>
      c.notNull().check(sql`status in ('draft', 'published', 'retired')`),
    )
    .addColumn('definition', 'jsonb', (c) => c.notNull())
    // The ETag of a grid: `version` is the grid's version number, a different thing.
    .addColumn('revision', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('published_at', 'timestamptz')
    .addColumn('retired_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('grids_code_version', ['code', 'version'])
    .addCheckConstraint('grids_published_at', sql`(status = 'draft') = (published_at is null)`)
    .addCheckConstraint('grids_retired_at', sql`(status = 'retired') = (retired_at is not null)`)
    .execute();
  // One draft per code at a time: a second would make "the next version" ambiguous.
  await db.schema
    .createIndex('grids_one_draft_per_code')
    .unique()
    .on('grids')
    .column('code')
    .where(sql.ref('status'), '=', 'draft')
    .execute();

  await db.schema
    .createTable('assessments')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('member_id', 'uuid', (c) => c.notNull().references('members.id'))
    // The member's partner, repeated for tenancy filters and partner KPIs without a join.
    .addColumn('partner_code', 'text', (c) => c.notNull().references('partners.code'))
    .addColumn('grid_id', 'uuid', (c) => c.notNull().references('grids.id'))
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('draft', 'submitted')`))
    .addColumn('assessed_on', 'date', (c) => c.notNull())
    .addColumn('assessor', 'jsonb', (c) => c.notNull())
    .addColumn('answers', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('result', 'jsonb')
    .addColumn('score', 'double precision')
    .addColumn('category', 'text')
    .addColumn('rescored_from', 'uuid', (c) => c.references('assessments.id'))
    .addColumn('submitted_at', 'timestamptz')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint(
      'assessments_submitted',
      sql`(status = 'submitted') = (submitted_at is not null)
        and (status = 'draft' or (result is not null and score is not null and category is not null))`,
    )
    .execute();

  // Lists are keyset-paginated by id; each filter column leads an index ending with id.
  for (const column of ['member_id', 'partner_code', 'grid_id', 'status', 'category']) {
    await db.schema
      .createIndex(`assessments_${column}_id`)
      .on('assessments')
      .columns([column, 'id'])
      .execute();
  }
  // Readiness: a member's submitted assessments by assessedOn, ties by submission.
  await db.schema
    .createIndex('assessments_member_readiness')
    .on('assessments')
    .columns(['member_id', 'assessed_on', 'submitted_at'])
    .where(sql.ref('status'), '=', 'submitted')
    .execute();

  await db.schema
    .alterTable('members')
    .addForeignKeyConstraint(
      'members_readiness_assessment',
      ['readiness_assessment_id'],
      'assessments',
      ['id'],
    )
    .execute();

  await db
    .insertInto('grids')
    .values({
      id: DEFAULT_GRID_ID,
      code: SIPPO_ERG_V1.code,
      version: 1,
      status: 'published',
      definition: JSON.stringify(SIPPO_ERG_V1),
      published_at: sql`now()`,
    })
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('members').dropConstraint('members_readiness_assessment').execute();
  await db.schema.dropTable('assessments').execute();
  await db.schema.dropTable('grids').execute();
}

/** A fixed id, so that documentation and partner systems can name the default grid. */
const DEFAULT_GRID_ID = '01936000-0000-7000-8000-000000000001';

/** SIPPO-ERG version 1, as published at the programme's start. Never edit: publish a version 2. */
const SIPPO_ERG_V1 = {
  code: 'SIPPO-ERG',
  title: {
    fr: 'Grille de préparation à l’export SIPPO',
    en: 'SIPPO export-readiness grid',
  },
  description: {
    fr: 'Grille par défaut du programme, version 1 : sept dimensions pondérées sur 100, critères sectoriels selon le code SH des produits.',
    en: 'Programme default grid, version 1: seven dimensions weighted out of 100, sector criteria by the products’ HS codes.',
  },
  minCoverage: 0.8,
  categories: [
    {
      code: 'A',
      label: {
        fr: 'Prêt à exporter',
        en: 'Export-ready',
      },
      minScore: 80,
    },
    {
      code: 'B',
      label: {
        fr: 'Presque prêt',
        en: 'Nearly ready',
      },
      minScore: 60,
    },
    {
      code: 'C',
      label: {
        fr: 'En développement',
        en: 'Developing',
      },
      minScore: 40,
    },
    {
      code: 'D',
      label: {
        fr: 'Pré-export',
        en: 'Pre-export',
      },
      minScore: 0,
    },
  ],
  dimensions: [
    {
      code: 'LEGAL',
      title: {
        fr: 'Légal et formalisation',
        en: 'Legal & formalisation',
      },
      weight: 15,
      criteria: [
        {
          code: 'LEG_REGISTRATION',
          title: {
            fr: 'Existence légale : ICE et inscription au registre du commerce (RC), ou coopérative inscrite au registre des coopératives (ODCo)',
            en: 'Legal existence: ICE and trade register (RC) entry, or cooperative listed in the cooperatives register (ODCo)',
          },
          weight: 3,
          answer: {
            type: 'boolean',
          },
          knockout: {
            cap: 'D',
          },
          recommendation: {
            fr: "Immatriculer l'entreprise au registre du commerce et obtenir l'Identifiant commun de l'entreprise (ICE) via le portail de l'OMPIC ou le Centre régional d'investissement ; pour une coopérative, finaliser l'inscription au registre local et au registre central des coopératives (ODCo) puis demander l'ICE. Aucun acheteur étranger ni transitaire ne peut facturer ou dédouaner sans ces identifiants.",
            en: 'Register the company in the trade register and obtain the Common Company Identifier (ICE) through the OMPIC portal or the Regional Investment Centre; for a cooperative, complete its entry in the local and central cooperatives registers (ODCo) and then request the ICE. No foreign buyer or forwarder can invoice or clear goods without these identifiers.',
          },
        },
        {
          code: 'LEG_TAX',
          title: {
            fr: 'Identifiant fiscal et attestation de régularité fiscale à jour',
            en: 'Tax identifier and up-to-date tax compliance certificate',
          },
          weight: 2,
          answer: {
            type: 'boolean',
          },
          recommendation: {
            fr: "Régulariser les déclarations auprès de la DGI et télécharger l'attestation de régularité fiscale sur le portail SIMPL ; elle est demandée pour les marchés publics, les programmes d'appui (Maroc PME) et certains acheteurs.",
            en: 'Bring tax returns up to date with the DGI and download the tax compliance certificate from the SIMPL portal; it is required for public tenders, support programmes (Maroc PME) and by some buyers.',
          },
        },
        {
          code: 'LEG_CNSS',
          title: {
            fr: 'Salariés déclarés à la CNSS',
            en: 'Employees registered with the CNSS (social security)',
          },
          weight: 2,
          answer: {
            type: 'boolean',
          },
          notApplicableAllowed: true,
          recommendation: {
            fr: "Affilier l'entreprise à la CNSS et déclarer tous les salariés via Damancom ; les audits sociaux des acheteurs (amfori BSCI, SMETA) vérifient systématiquement ce point.",
            en: 'Register the company with the CNSS and declare every employee through Damancom; buyers’ social audits (amfori BSCI, SMETA) always check this.',
          },
        },
        {
          code: 'LEG_CUSTOMS',
          title: {
            fr: 'Opérateur connu de la douane (ADII) pour les opérations d’export',
            en: 'Known to customs (ADII) for export operations',
          },
          weight: 1,
          answer: {
            type: 'boolean',
          },
          recommendation: {
            fr: "Créer le compte de l'entreprise sur le système BADR de l'ADII et choisir un transitaire agréé ; préparer une première expédition test (échantillons) pour roder les documents.",
            en: 'Open the company’s account on the ADII BADR system and appoint a licensed customs broker; run a first test shipment (samples) to rehearse the paperwork.',
          },
        },
        {
          code: 'LEG_TRADEMARK',
          title: {
            fr: 'Protection de la marque',
            en: 'Trademark protection',
          },
          weight: 1,
          answer: {
            type: 'choice',
            options: [
              {
                code: 'none',
                score: 0,
                label: {
                  fr: 'Aucune',
                  en: 'None',
                },
              },
              {
                code: 'morocco',
                score: 0.6,
                label: {
                  fr: 'Déposée à l’OMPIC',
                  en: 'Registered with OMPIC',
                },
              },
              {
                code: 'international',
                score: 1,
                label: {
                  fr: 'Étendue aux marchés cibles (système de Madrid)',
                  en: 'Extended to target markets (Madrid system)',
                },
              },
            ],
          },
          recommendation: {
            fr: "Déposer la marque auprès de l'OMPIC, puis l'étendre aux marchés cibles (UE, Suisse) par le système de Madrid de l'OMPI avant de les prospecter.",
            en: 'File the trademark with OMPIC, then extend it to the target markets (EU, Switzerland) through WIPO’s Madrid system before prospecting them.',
          },
        },
        {
          code: 'LEG_COOP_GOVERNANCE',
          title: {
            fr: 'Gouvernance coopérative à jour (assemblée générale annuelle, comptes approuvés, registre des adhérent·es)',
            en: 'Cooperative governance up to date (annual general meeting, approved accounts, members register)',
          },
          weight: 1,
          answer: {
            type: 'scale',
            maxLevel: 3,
          },
          appliesTo: {
            memberTypes: ['cooperative'],
          },
          help: {
            fr: '0 : rien de formalisé ; 1 : AG tenue ; 2 : AG et comptes approuvés ; 3 : tout cela et registre des adhérent·es à jour.',
            en: '0: nothing formalised; 1: general meeting held; 2: meeting and approved accounts; 3: all this and an up-to-date members register.',
          },
          recommendation: {
            fr: "Tenir l'assemblée générale annuelle, faire approuver et déposer les comptes, tenir le registre des adhérent·es ; l'ODCo propose un accompagnement et des formations à la gestion coopérative.",
            en: 'Hold the annual general meeting, have the accounts approved and filed, and keep the members register; ODCo offers support and training in cooperative management.',
          },
        },
      ],
    },
    {
      code: 'PRODUCTION',
      title: {
        fr: 'Production et approvisionnement',
        en: 'Production & supply',
      },
      weight: 15,
      criteria: [
        {
          code: 'PRD_CAPACITY',
          title: {
            fr: "Capacité de production disponible pour l'export (% de la production annuelle)",
            en: 'Production capacity available for export (% of annual output)',
          },
          weight: 3,
          answer: {
            type: 'number',
            unit: '%',
            bands: [
              {
                min: 0,
                score: 0,
              },
              {
                min: 10,
                score: 0.4,
              },
              {
                min: 25,
                score: 0.7,
              },
              {
                min: 40,
                score: 1,
              },
            ],
          },
          recommendation: {
            fr: "Planifier la production pour réserver un volume export régulier (au moins 25 %) ; une coopérative peut mutualiser la production avec d'autres coopératives ou un GIE pour atteindre les volumes d'un premier conteneur.",
            en: 'Plan production to reserve a regular export volume (at least 25%); a cooperative can pool output with other cooperatives or a GIE to reach the volume of a first container.',
          },
        },
        {
          code: 'PRD_SUPPLY',
          title: {
            fr: 'Sécurisation de l’approvisionnement en matières premières',
            en: 'Secured supply of raw materials',
          },
          weight: 2,
          answer: {
            type: 'scale',
            maxLevel: 4,
          },
          help: {
            fr: '0 : achats au jour le jour ; 4 : contrats ou conventions avec les fournisseurs/adhérent·es, stock de sécurité, alternatives identifiées.',
            en: '0: day-to-day purchases; 4: contracts or agreements with suppliers/members, safety stock, alternatives identified.',
          },
          recommendation: {
            fr: 'Formaliser des conventions d’approvisionnement avec les producteurs ou adhérent·es (volumes, qualité, prix), constituer un stock de sécurité pour la saison et identifier une source de remplacement.',
            en: 'Formalise supply agreements with growers or members (volumes, quality, prices), build a seasonal safety stock and identify a back-up source.',
          },
        },
        {
          code: 'PRD_PROCESS',
          title: {
            fr: 'Procédés de production documentés et maîtrisés',
            en: 'Documented, controlled production processes',
          },
          weight: 2,
          answer: {
            type: 'scale',
            maxLevel: 4,
          },
          recommendation: {
            fr: 'Rédiger les fiches de procédé et les fiches techniques produit, former le personnel et enregistrer les contrôles en cours de production ; le programme Tatwir de Maroc PME peut cofinancer la mise à niveau.',
            en: 'Write process sheets and product specifications, train staff and record in-process checks; Maroc PME’s Tatwir programme can co-finance the upgrade.',
          },
        },
        {
          code: 'PRD_PACKAGING',
          title: {
            fr: 'Emballage et étiquetage adaptés à l’export',
            en: 'Export-ready packaging and labelling',
          },
          weight: 2,
          answer: {
            type: 'choice',
            options: [
              {
                code: 'none',
                score: 0,
                label: {
                  fr: 'Vrac ou sans emballage',
                  en: 'Bulk or unpacked',
                },
              },
              {
                code: 'local',
                score: 0.3,
                label: {
                  fr: 'Emballage marché local',
                  en: 'Local-market packaging',
                },
              },
              {
                code: 'export',
                score: 0.7,
                label: {
                  fr: 'Emballage résistant, étiquetage en français/anglais',
                  en: 'Sturdy packaging, French/English labelling',
                },
              },
              {
                code: 'compliant',
                score: 1,
                label: {
                  fr: 'Conforme aux règles d’étiquetage du marché cible, palettisé',
                  en: 'Meets the target market’s labelling rules, palletised',
                },
              },
            ],
          },
          recommendation: {
            fr: "Adapter l'étiquetage aux exigences du marché cible (règlement UE 1169/2011 pour l'alimentaire : dénomination, ingrédients, allergènes, lot, DDM, origine) et tester la tenue de l'emballage au transport ; se faire accompagner par un designer d'emballage.",
            en: 'Adapt labelling to the target market’s rules (EU Regulation 1169/2011 for food: name, ingredients, allergens, lot, best-before date, origin) and test that packaging withstands transport; work with a packaging designer.',
          },
        },
        {
          code: 'PRD_LEAD_TIME',
          title: {
            fr: 'Délai de livraison d’une commande export type (jours)',
            en: 'Lead time of a typical export order (days)',
          },
          weight: 1,
          answer: {
            type: 'number',
            unit: 'jours',
            bands: [
              {
                min: 0,
                score: 1,
              },
              {
                min: 30,
                score: 0.7,
              },
              {
                min: 60,
                score: 0.3,
              },
              {
                min: 90,
                score: 0,
              },
            ],
          },
          recommendation: {
            fr: 'Réduire le délai sous 30 jours : planification de la production, stock de produits finis ou semi-finis, emballages commandés à l’avance, transitaire retenu avant la commande.',
            en: 'Bring lead time under 30 days: production planning, stock of finished or semi-finished goods, packaging ordered in advance, forwarder chosen before the order.',
          },
        },
      ],
    },
    {
      code: 'QUALITY',
      title: {
        fr: 'Qualité et conformité réglementaire',
        en: 'Quality & regulatory compliance',
      },
      weight: 20,
      criteria: [
        {
          code: 'QLT_ONSSA',
          title: {
            fr: 'Agrément ou autorisation sanitaire ONSSA de l’unité de production',
            en: 'ONSSA sanitary approval or authorisation of the production unit',
          },
          weight: 3,
          answer: {
            type: 'boolean',
          },
          knockout: {
            cap: 'C',
          },
          appliesTo: {
            hsChapters: [
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
            ],
          },
          recommendation: {
            fr: "Déposer le dossier d'agrément ou d'autorisation sanitaire auprès du service vétérinaire ou de la direction régionale de l'ONSSA, après mise en conformité des locaux (bonnes pratiques d'hygiène, circuits, eau potable) ; sans ce numéro, aucun produit alimentaire ne peut être exporté.",
            en: 'File the sanitary approval or authorisation application with the ONSSA regional office after bringing the premises up to standard (good hygiene practice, flows, drinking water); without this number no food product can be exported.',
          },
        },
        {
          code: 'QLT_FOOD_SAFETY',
          title: {
            fr: 'Système de sécurité des aliments',
            en: 'Food safety management system',
          },
          weight: 2,
          answer: {
            type: 'choice',
            options: [
              {
                code: 'none',
                score: 0,
                label: {
                  fr: 'Aucun',
                  en: 'None',
                },
              },
              {
                code: 'haccp',
                score: 0.5,
                label: {
                  fr: 'Plan HACCP appliqué',
                  en: 'HACCP plan in place',
                },
              },
              {
                code: 'iso22000',
                score: 0.8,
                label: {
                  fr: 'ISO 22000 certifié',
                  en: 'ISO 22000 certified',
                },
              },
              {
                code: 'gfsi',
                score: 1,
                label: {
                  fr: 'IFS, BRCGS ou FSSC 22000 certifié',
                  en: 'IFS, BRCGS or FSSC 22000 certified',
                },
              },
            ],
          },
          appliesTo: {
            hsChapters: [
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
            ],
          },
          recommendation: {
            fr: "Mettre en place un plan HACCP avec un consultant ou l'appui d'un programme de coopération, puis viser IFS ou BRCGS, exigés par la grande distribution européenne et suisse.",
            en: 'Set up a HACCP plan with a consultant or cooperation-programme support, then aim for IFS or BRCGS, which European and Swiss retailers require.',
          },
        },
        {
          code: 'QLT_QMS',
          title: {
            fr: 'Contrôle qualité et gestion des réclamations',
            en: 'Quality control and complaint handling',
          },
          weight: 2,
          answer: {
            type: 'scale',
            maxLevel: 4,
          },
          help: {
            fr: '0 : aucun contrôle ; 2 : contrôle à réception et avant expédition enregistré ; 4 : système documenté avec analyses régulières en laboratoire et traitement des réclamations.',
            en: '0: no control; 2: recorded incoming and pre-shipment checks; 4: documented system with regular laboratory analyses and complaint handling.',
          },
          recommendation: {
            fr: 'Définir les spécifications produit, enregistrer les contrôles à réception et avant expédition, faire analyser chaque lot export dans un laboratoire accrédité (résidus de pesticides, contaminants) et tenir un registre des réclamations.',
            en: 'Define product specifications, record incoming and pre-shipment checks, have each export lot tested by an accredited laboratory (pesticide residues, contaminants) and keep a complaints log.',
          },
        },
        {
          code: 'QLT_TRACEABILITY',
          title: {
            fr: 'Traçabilité lot par lot, de la matière première au client',
            en: 'Lot-by-lot traceability from raw material to customer',
          },
          weight: 2,
          answer: {
            type: 'boolean',
          },
          recommendation: {
            fr: 'Attribuer un numéro de lot à chaque réception et à chaque production, le reporter sur les étiquettes et les factures, et tester un rappel fictif une fois par an.',
            en: 'Give every intake and production run a lot number, carry it on labels and invoices, and run a mock recall once a year.',
          },
        },
        {
          code: 'QLT_EACCE',
          title: {
            fr: "Produits conformes au contrôle technique à l'export de l'EACCE",
            en: 'Products meeting EACCE export technical control',
          },
          weight: 1,
          answer: {
            type: 'boolean',
          },
          notApplicableAllowed: true,
          appliesTo: {
            hsChapters: ['03', '07', '08', '16', '20'],
          },
          recommendation: {
            fr: "Se rapprocher de la délégation régionale de l'EACCE pour connaître les normes de commercialisation applicables, faire agréer la station de conditionnement et planifier le contrôle avant chaque expédition.",
            en: 'Contact the EACCE regional office to learn the marketing standards that apply, have the packing station approved and schedule the inspection before each shipment.',
          },
        },
        {
          code: 'FSH_EU_APPROVAL',
          title: {
            fr: 'Établissement agréé pour l’UE (numéro d’agrément sanitaire sur la liste UE)',
            en: 'EU-approved establishment (sanitary approval number on the EU list)',
          },
          weight: 2,
          answer: {
            type: 'boolean',
          },
          appliesTo: {
            hsChapters: ['03', '16'],
          },
          recommendation: {
            fr: "Demander à l'ONSSA l'inscription de l'établissement sur la liste des établissements marocains autorisés à exporter vers l'UE (produits de la pêche) ; prévoir l'audit ONSSA et les exigences du règlement UE 2019/625.",
            en: 'Ask ONSSA to put the establishment on the list of Moroccan establishments authorised to export fishery products to the EU; prepare for the ONSSA audit and the requirements of EU Regulation 2019/625.',
          },
        },
      ],
    },
    {
      code: 'CERTIFICATIONS',
      title: {
        fr: 'Certifications et origine',
        en: 'Certifications & origin',
      },
      weight: 10,
      criteria: [
        {
          code: 'CRT_ORIGIN',
          title: {
            fr: "Maîtrise des règles d'origine préférentielle (EUR.1, accords Maroc–UE et Maroc–AELE)",
            en: 'Command of preferential rules of origin (EUR.1, Morocco–EU and Morocco–EFTA agreements)',
          },
          weight: 2,
          answer: {
            type: 'choice',
            options: [
              {
                code: 'none',
                score: 0,
                label: {
                  fr: 'Non connues',
                  en: 'Not known',
                },
              },
              {
                code: 'known',
                score: 0.5,
                label: {
                  fr: 'Connues, certificat déjà obtenu',
                  en: 'Known, certificate obtained once',
                },
              },
              {
                code: 'routine',
                score: 1,
                label: {
                  fr: 'Preuves d’origine établies à chaque expédition',
                  en: 'Proofs of origin issued for every shipment',
                },
              },
            ],
          },
          recommendation: {
            fr: "Vérifier que le produit remplit les règles d'origine de l'accord Maroc–AELE (Suisse) et de l'accord d'association Maroc–UE, conserver les justificatifs et demander le certificat EUR.1 auprès de la douane ; le droit de douane évité est un argument de prix auprès de l'acheteur.",
            en: 'Check that the product meets the origin rules of the Morocco–EFTA (Switzerland) agreement and the EU–Morocco association agreement, keep the supporting documents and request the EUR.1 certificate from customs; the duty saved is a price argument with the buyer.',
          },
        },
        {
          code: 'CRT_ORGANIC',
          title: {
            fr: 'Certification biologique (règlement UE 2018/848, Bio Suisse)',
            en: 'Organic certification (EU Regulation 2018/848, Bio Suisse)',
          },
          weight: 2,
          answer: {
            type: 'choice',
            options: [
              {
                code: 'none',
                score: 0,
                label: {
                  fr: 'Non certifié',
                  en: 'Not certified',
                },
              },
              {
                code: 'conversion',
                score: 0.5,
                label: {
                  fr: 'En conversion',
                  en: 'In conversion',
                },
              },
              {
                code: 'eu',
                score: 0.8,
                label: {
                  fr: 'Certifié UE 2018/848',
                  en: 'EU 2018/848 certified',
                },
              },
              {
                code: 'eu_biosuisse',
                score: 1,
                label: {
                  fr: 'Certifié UE et Bio Suisse',
                  en: 'EU and Bio Suisse certified',
                },
              },
            ],
          },
          notApplicableAllowed: true,
          appliesTo: {
            hsChapters: [
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
            ],
          },
          recommendation: {
            fr: "Choisir un organisme certificateur reconnu par l'UE pour le Maroc, engager la conversion (registres, intrants autorisés), puis demander l'approbation Bio Suisse pour accéder à la grande distribution suisse ; présenter la gamme bio à Biofach.",
            en: 'Choose a certification body recognised by the EU for Morocco, start conversion (records, permitted inputs), then apply for Bio Suisse approval to reach Swiss retailers; show the organic range at Biofach.',
          },
        },
        {
          code: 'SAF_ISO3632',
          title: {
            fr: 'Safran classé selon ISO 3632 par un laboratoire',
            en: 'Saffron graded to ISO 3632 by a laboratory',
          },
          weight: 2,
          answer: {
            type: 'choice',
            options: [
              {
                code: 'none',
                score: 0,
                label: {
                  fr: 'Non analysé',
                  en: 'Not tested',
                },
              },
              {
                code: 'tested',
                score: 0.5,
                label: {
                  fr: 'Analysé, catégorie II ou III',
                  en: 'Tested, category II or III',
                },
              },
              {
                code: 'category1',
                score: 1,
                label: {
                  fr: 'Catégorie I, chaque lot analysé',
                  en: 'Category I, every lot tested',
                },
              },
            ],
          },
          notApplicableAllowed: true,
          appliesTo: {
            hsChapters: ['0910'],
          },
          recommendation: {
            fr: 'Faire analyser chaque lot selon ISO 3632 (pouvoir colorant, amertume, arôme) par un laboratoire accrédité, améliorer le séchage pour atteindre la catégorie I et mettre en avant l’AOP Safran de Taliouine le cas échéant.',
            en: 'Have every lot analysed to ISO 3632 (colouring strength, bitterness, aroma) by an accredited laboratory, improve drying to reach category I, and highlight the Taliouine saffron PDO where it applies.',
          },
        },
        {
          code: 'TXT_CERTIFICATION',
          title: {
            fr: 'Certifications textiles (OEKO-TEX Standard 100, GOTS, ISO 9001)',
            en: 'Textile certifications (OEKO-TEX Standard 100, GOTS, ISO 9001)',
          },
          weight: 2,
          answer: {
            type: 'choice',
            options: [
              {
                code: 'none',
                score: 0,
                label: {
                  fr: 'Aucune',
                  en: 'None',
                },
              },
              {
                code: 'in_progress',
                score: 0.3,
                label: {
                  fr: 'En cours',
                  en: 'In progress',
                },
              },
              {
                code: 'one',
                score: 0.7,
                label: {
                  fr: 'Une certification',
                  en: 'One certification',
                },
              },
              {
                code: 'several',
                score: 1,
                label: {
                  fr: 'Deux certifications ou plus',
                  en: 'Two or more certifications',
                },
              },
            ],
          },
          appliesTo: {
            hsChapters: [
              '50',
              '51',
              '52',
              '53',
              '54',
              '55',
              '56',
              '57',
              '58',
              '59',
              '60',
              '61',
              '62',
              '63',
            ],
          },
          recommendation: {
            fr: "Obtenir OEKO-TEX Standard 100 (substances nocives) pour les produits finis, GOTS pour les gammes en coton biologique et ISO 9001 pour l'organisation ; l'AMITH accompagne les entreprises du secteur dans ces démarches.",
            en: 'Obtain OEKO-TEX Standard 100 (harmful substances) for finished goods, GOTS for organic-cotton ranges and ISO 9001 for the organisation; AMITH supports textile companies through these steps.',
          },
        },
        {
          code: 'FSH_SUSTAINABLE',
          title: {
            fr: 'Certification de pêche ou d’aquaculture durable (MSC, ASC)',
            en: 'Sustainable fishing or aquaculture certification (MSC, ASC)',
          },
          weight: 1,
          answer: {
            type: 'choice',
            options: [
              {
                code: 'none',
                score: 0,
                label: {
                  fr: 'Aucune',
                  en: 'None',
                },
              },
              {
                code: 'chain_of_custody',
                score: 0.5,
                label: {
                  fr: 'Chaîne de traçabilité MSC/ASC',
                  en: 'MSC/ASC chain of custody',
                },
              },
              {
                code: 'certified',
                score: 1,
                label: {
                  fr: 'Pêcherie ou ferme certifiée',
                  en: 'Certified fishery or farm',
                },
              },
            ],
          },
          notApplicableAllowed: true,
          appliesTo: {
            hsChapters: ['03', '16'],
          },
          recommendation: {
            fr: "S'approvisionner auprès de pêcheries certifiées MSC (par exemple la sardine marocaine) ou de fermes ASC et obtenir la certification de chaîne de traçabilité, demandée par les distributeurs européens et suisses.",
            en: 'Source from MSC-certified fisheries (for example Moroccan sardine) or ASC farms and obtain chain-of-custody certification, which European and Swiss retailers ask for.',
          },
        },
      ],
    },
    {
      code: 'MANAGEMENT',
      title: {
        fr: 'Management, finances et savoir-faire export',
        en: 'Management, finance & export know-how',
      },
      weight: 15,
      criteria: [
        {
          code: 'MGT_EXPORT_PLAN',
          title: {
            fr: 'Plan export écrit (marchés cibles, objectifs, budget, calendrier)',
            en: 'Written export plan (target markets, objectives, budget, timeline)',
          },
          weight: 2,
          answer: {
            type: 'scale',
            maxLevel: 4,
          },
          recommendation: {
            fr: "Rédiger un plan export sur trois ans : deux ou trois marchés prioritaires, volumes visés, budget de prospection et calendrier des salons ; l'ASMEX et les coachs SIPPO peuvent le relire.",
            en: 'Write a three-year export plan: two or three priority markets, target volumes, prospecting budget and trade-fair calendar; ASMEX and SIPPO coaches can review it.',
          },
        },
        {
          code: 'MGT_EXPORT_STAFF',
          title: {
            fr: 'Personne chargée de l’export',
            en: 'Person in charge of export',
          },
          weight: 2,
          answer: {
            type: 'choice',
            options: [
              {
                code: 'none',
                score: 0,
                label: {
                  fr: 'Personne',
                  en: 'Nobody',
                },
              },
              {
                code: 'part_time',
                score: 0.5,
                label: {
                  fr: 'À temps partiel',
                  en: 'Part-time',
                },
              },
              {
                code: 'dedicated',
                score: 1,
                label: {
                  fr: 'Dédiée, formée, parlant anglais',
                  en: 'Dedicated, trained, English-speaking',
                },
              },
            ],
          },
          recommendation: {
            fr: "Désigner une personne responsable de l'export, la former (formations de l'ASMEX ou des programmes de coopération) et s'assurer qu'elle échange en anglais avec les acheteurs.",
            en: 'Appoint a person responsible for export, train them (ASMEX or cooperation-programme courses) and make sure they can deal with buyers in English.',
          },
        },
        {
          code: 'MGT_INCOTERMS',
          title: {
            fr: 'Maîtrise des Incoterms 2020 et des documents export',
            en: 'Command of Incoterms 2020 and export documents',
          },
          weight: 2,
          answer: {
            type: 'scale',
            maxLevel: 3,
          },
          help: {
            fr: '0 : inconnus ; 1 : notions ; 2 : offre en FCA/FOB avec documents maîtrisés ; 3 : offres en plusieurs Incoterms (y compris CIF/DAP) chiffrées et documents sans erreur.',
            en: '0: unknown; 1: basic notions; 2: FCA/FOB offers with documents under control; 3: priced offers under several Incoterms (including CIF/DAP) and error-free documents.',
          },
          recommendation: {
            fr: 'Se former aux Incoterms 2020 et aux documents export (facture, liste de colisage, certificat d’origine, certificats sanitaires), commencer par des offres FCA ou FOB puis maîtriser CIF et DAP avec un transitaire.',
            en: 'Learn Incoterms 2020 and export documents (invoice, packing list, certificate of origin, health certificates); start with FCA or FOB offers, then master CIF and DAP with a forwarder.',
          },
        },
        {
          code: 'MGT_EXPORT_PRICING',
          title: {
            fr: 'Prix export calculé (coût de revient complet, logistique, marge par Incoterm)',
            en: 'Export price calculated (full cost, logistics, margin per Incoterm)',
          },
          weight: 2,
          answer: {
            type: 'boolean',
          },
          recommendation: {
            fr: 'Construire une grille de prix export à partir du coût de revient complet (matières, main-d’œuvre, emballage, certification), ajouter transport, assurance et frais par Incoterm, et la comparer aux prix de détail relevés sur le marché cible.',
            en: 'Build an export price list from the full cost (materials, labour, packaging, certification), add transport, insurance and fees per Incoterm, and compare it with retail prices observed in the target market.',
          },
        },
        {
          code: 'MGT_FINANCE',
          title: {
            fr: 'Financement et sécurisation des paiements export',
            en: 'Export finance and payment security',
          },
          weight: 2,
          answer: {
            type: 'choice',
            options: [
              {
                code: 'none',
                score: 0,
                label: {
                  fr: 'Paiement non sécurisé',
                  en: 'Unsecured payment',
                },
              },
              {
                code: 'bank',
                score: 0.5,
                label: {
                  fr: 'Banque maîtrisant crédit et remise documentaires',
                  en: 'Bank handling letters of credit and documentary collections',
                },
              },
              {
                code: 'insured',
                score: 1,
                label: {
                  fr: 'Plus assurance-crédit export et préfinancement',
                  en: 'Plus export credit insurance and pre-financing',
                },
              },
            ],
          },
          recommendation: {
            fr: 'Ouvrir avec sa banque une ligne de préfinancement export, utiliser le crédit documentaire pour les premiers clients, souscrire une assurance-crédit export et solliciter les garanties de Tamwilcom et les programmes de Maroc PME.',
            en: 'Arrange export pre-financing with the bank, use letters of credit with first customers, take out export credit insurance, and apply for Tamwilcom guarantees and Maroc PME programmes.',
          },
        },
        {
          code: 'MGT_EXPORT_SHARE',
          title: {
            fr: "Part du chiffre d'affaires réalisée à l'export (%)",
            en: 'Share of turnover from exports (%)',
          },
          weight: 1,
          answer: {
            type: 'number',
            unit: '%',
            bands: [
              {
                min: 0,
                score: 0,
              },
              {
                min: 1,
                score: 0.3,
              },
              {
                min: 10,
                score: 0.6,
              },
              {
                min: 30,
                score: 1,
              },
            ],
          },
          recommendation: {
            fr: "Commencer par des commandes tests auprès d'importateurs spécialisés ou via des exportateurs regroupeurs, puis augmenter progressivement la part export pour réduire la dépendance au marché local.",
            en: 'Start with trial orders to specialised importers or through consolidating exporters, then grow the export share step by step to reduce dependence on the local market.',
          },
        },
      ],
    },
    {
      code: 'MARKET',
      title: {
        fr: 'Connaissance des marchés et marketing',
        en: 'Market knowledge & marketing',
      },
      weight: 15,
      criteria: [
        {
          code: 'MKT_RESEARCH',
          title: {
            fr: 'Connaissance des marchés cibles (exigences, prix, concurrence, réglementation)',
            en: 'Knowledge of target markets (requirements, prices, competition, regulation)',
          },
          weight: 3,
          answer: {
            type: 'scale',
            maxLevel: 4,
          },
          recommendation: {
            fr: "Étudier deux marchés cibles avec les études de marché SIPPO, Trade Map et Market Access Map de l'ITC : droits de douane, normes, prix de détail, principaux importateurs ; en tirer une fiche par marché.",
            en: 'Study two target markets using SIPPO market studies and ITC’s Trade Map and Market Access Map: duties, standards, retail prices, leading importers; summarise each market on one page.',
          },
        },
        {
          code: 'MKT_TRADE_FAIRS',
          title: {
            fr: 'Salons professionnels internationaux visités ou comme exposant (3 dernières années)',
            en: 'International trade fairs visited or exhibited at (last 3 years)',
          },
          weight: 2,
          answer: {
            type: 'number',
            unit: 'salons',
            bands: [
              {
                min: 0,
                score: 0,
              },
              {
                min: 1,
                score: 0.5,
              },
              {
                min: 3,
                score: 1,
              },
            ],
          },
          recommendation: {
            fr: "Participer à un salon de la filière (SIAL, Biofach, Anuga, Fruit Logistica, Seafood Expo Global, Texworld) sur un pavillon Maroc ou SIPPO : préparer des échantillons, une liste de prix et des rendez-vous B2B à l'avance.",
            en: 'Take part in a sector fair (SIAL, Biofach, Anuga, Fruit Logistica, Seafood Expo Global, Texworld) on a Morocco or SIPPO pavilion: prepare samples, a price list and pre-booked B2B meetings.',
          },
        },
        {
          code: 'MKT_SALES_MATERIALS',
          title: {
            fr: 'Supports de vente pour l’export (catalogue, fiches techniques, liste de prix)',
            en: 'Export sales materials (catalogue, specification sheets, price list)',
          },
          weight: 2,
          answer: {
            type: 'choice',
            options: [
              {
                code: 'none',
                score: 0,
                label: {
                  fr: 'Aucun',
                  en: 'None',
                },
              },
              {
                code: 'french',
                score: 0.5,
                label: {
                  fr: 'En français seulement',
                  en: 'French only',
                },
              },
              {
                code: 'multilingual',
                score: 1,
                label: {
                  fr: 'En anglais et dans la langue du marché',
                  en: 'In English and the target market’s language',
                },
              },
            ],
          },
          recommendation: {
            fr: 'Préparer un catalogue et des fiches techniques en anglais (et en allemand pour la Suisse alémanique), avec photos professionnelles, spécifications, conditionnements, quantités minimales et délais.',
            en: 'Prepare a catalogue and specification sheets in English (and German for German-speaking Switzerland) with professional photos, specifications, pack sizes, minimum quantities and lead times.',
          },
        },
        {
          code: 'MKT_BUYERS',
          title: {
            fr: 'Acheteurs étrangers ayant commandé au cours des 12 derniers mois',
            en: 'Foreign buyers who ordered in the last 12 months',
          },
          weight: 2,
          answer: {
            type: 'number',
            unit: 'acheteurs',
            bands: [
              {
                min: 0,
                score: 0,
              },
              {
                min: 1,
                score: 0.5,
              },
              {
                min: 3,
                score: 0.8,
              },
              {
                min: 5,
                score: 1,
              },
            ],
          },
          recommendation: {
            fr: "Transformer les contacts des salons et missions B2B en commandes tests, suivre chaque prospect dans un fichier clients et diversifier pour ne pas dépendre d'un seul acheteur.",
            en: 'Turn contacts from fairs and B2B missions into trial orders, track every prospect in a customer file and diversify so as not to depend on a single buyer.',
          },
        },
        {
          code: 'MKT_BRAND_STORY',
          title: {
            fr: 'Identité de marque et histoire du produit (origine, savoir-faire, impact social)',
            en: 'Brand identity and product story (origin, know-how, social impact)',
          },
          weight: 1,
          answer: {
            type: 'scale',
            maxLevel: 3,
          },
          recommendation: {
            fr: "Formuler l'histoire du produit (terroir, savoir-faire, coopérative de femmes, impact social) et la porter de façon cohérente sur l'emballage, le site et les salons ; les acheteurs du commerce équitable et de l'épicerie fine y sont sensibles.",
            en: 'Tell the product’s story (terroir, know-how, women’s cooperative, social impact) and carry it consistently on packaging, website and at fairs; fair-trade and fine-food buyers respond to it.',
          },
        },
      ],
    },
    {
      code: 'DIGITAL',
      title: {
        fr: 'Numérique et durabilité',
        en: 'Digital & sustainability',
      },
      weight: 10,
      criteria: [
        {
          code: 'DIG_ONLINE',
          title: {
            fr: 'Présence en ligne professionnelle',
            en: 'Professional online presence',
          },
          weight: 2,
          answer: {
            type: 'choice',
            options: [
              {
                code: 'none',
                score: 0,
                label: {
                  fr: 'Aucune',
                  en: 'None',
                },
              },
              {
                code: 'social',
                score: 0.4,
                label: {
                  fr: 'Réseaux sociaux seulement',
                  en: 'Social media only',
                },
              },
              {
                code: 'website',
                score: 0.8,
                label: {
                  fr: 'Site web en français et en anglais',
                  en: 'Website in French and English',
                },
              },
              {
                code: 'b2b',
                score: 1,
                label: {
                  fr: 'Site web et profil sur une plateforme B2B',
                  en: 'Website and a B2B marketplace profile',
                },
              },
            ],
          },
          recommendation: {
            fr: 'Créer un site bilingue français–anglais présentant produits, certifications et contacts, et un profil vérifié sur une plateforme B2B de la filière ; répondre aux demandes sous 48 heures.',
            en: 'Build a French–English website presenting products, certifications and contacts, and a verified profile on a sector B2B marketplace; answer enquiries within 48 hours.',
          },
        },
        {
          code: 'DIG_TOOLS',
          title: {
            fr: 'Outils numériques de gestion (messagerie professionnelle, facturation et stocks informatisés)',
            en: 'Digital management tools (business e-mail, computerised invoicing and stock)',
          },
          weight: 1,
          answer: {
            type: 'boolean',
          },
          recommendation: {
            fr: "Utiliser une adresse e-mail au nom de domaine de l'entreprise et un logiciel simple de facturation et de gestion des stocks ; les programmes de transformation digitale de Maroc PME peuvent en cofinancer l'acquisition.",
            en: 'Use an e-mail address on the company’s own domain and simple invoicing and stock software; Maroc PME’s digital transformation programmes can co-finance it.',
          },
        },
        {
          code: 'SUS_ENVIRONMENT',
          title: {
            fr: 'Pratiques environnementales (eau, énergie, déchets, emballages)',
            en: 'Environmental practices (water, energy, waste, packaging)',
          },
          weight: 2,
          answer: {
            type: 'scale',
            maxLevel: 4,
          },
          recommendation: {
            fr: "Mesurer les consommations d'eau et d'énergie, trier et valoriser les déchets, réduire le plastique des emballages et documenter ces actions : les acheteurs européens les demandent au titre de leur devoir de vigilance.",
            en: 'Measure water and energy use, sort and recover waste, cut plastic in packaging and document these actions: European buyers ask for them under their due-diligence duties.',
          },
        },
        {
          code: 'SUS_SOCIAL',
          title: {
            fr: 'Conditions de travail documentées et conformes (âge minimum, sécurité, égalité femmes-hommes)',
            en: 'Documented, compliant working conditions (minimum age, safety, gender equality)',
          },
          weight: 2,
          answer: {
            type: 'boolean',
          },
          recommendation: {
            fr: 'Formaliser le règlement intérieur, les contrats, les registres de présence et les mesures de sécurité, et préparer un audit social (amfori BSCI, SMETA) ou une certification commerce équitable (Fairtrade, WFTO).',
            en: 'Formalise internal rules, contracts, attendance records and safety measures, and prepare for a social audit (amfori BSCI, SMETA) or fair-trade certification (Fairtrade, WFTO).',
          },
        },
      ],
    },
  ],
};
