/**
 * A grid as an XLSForm (https://xlsform.org): the three sheets as rows of named cells, ready to
 * be written as a workbook. Pure: no I/O. The form's shape is described in
 * docs/field-collection.md; the names come from form-names.ts, shared with the import.
 */

import { type Language, textIn } from '../../http/language.js';
import type { AppliesTo, Criterion, GridDefinition, Multilingual } from '../grids/definition.js';
import { MEMBER_TYPES } from '../grids/definition.js';
import {
  type CriterionNames,
  FIXED,
  type FormNames,
  formNames,
  notApplicableChoice,
  SHARED_LISTS,
} from './form-names.js';

/** The form's languages, as XLSForm column suffixes `label::<name>`. */
const FORM_LANGUAGES: readonly { key: Language; name: string }[] = [
  { key: 'fr', name: 'Français (fr)' },
  { key: 'en', name: 'English (en)' },
  { key: 'ar', name: 'العربية (ar)' },
];
type Text = Record<Language, string>;

export type Row = Record<string, string>;
export interface XlsForm {
  survey: Row[];
  choices: Row[];
  settings: Row[];
}

/** Column names, in sheet order. */
const translated = (column: string) => FORM_LANGUAGES.map((l) => `${column}::${l.name}`);
export const SURVEY_COLUMNS = [
  'type',
  'name',
  ...translated('label'),
  ...translated('hint'),
  'required',
  'relevant',
  'constraint',
  ...translated('constraint_message'),
  'default',
];
export const CHOICES_COLUMNS = ['list_name', 'name', ...translated('label')];
export const SETTINGS_COLUMNS = [
  'form_title',
  'form_id',
  'version',
  'default_language',
  'instance_name',
];

/** Bounds of a number answer: the API's own bound on numbers a caller sends (|x| ≤ 1e15). */
const NUMBER_BOUND = '1000000000000000';

/** Arabic falls back to French where a grid has none, so that an Arabic form is never blank. */
function text(t: Multilingual): Text {
  return { fr: t.fr, en: t.en, ar: t.ar ?? t.fr };
}

function cells(column: string, t: Text | undefined): Row {
  if (t === undefined) return {};
  return Object.fromEntries(FORM_LANGUAGES.map((l) => [`${column}::${l.name}`, t[l.key]]));
}

const UI = {
  identity: { fr: 'Membre et visite', en: 'Member and visit', ar: 'العضو والزيارة' },
  memberRef: {
    fr: 'Référence du membre (référence du partenaire, ICE ou identifiant jahiz)',
    en: 'Member reference (partner reference, ICE or jahiz id)',
    ar: 'مرجع العضو (مرجع الشريك أو رقم ICE أو معرّف jahiz)',
  },
  memberType: { fr: 'Type de membre', en: 'Member type', ar: 'نوع العضو' },
  productChapters: {
    fr: 'Produits du membre (chapitres du Système harmonisé)',
    en: 'The member’s products (Harmonized System chapters)',
    ar: 'منتجات العضو (فصول النظام المنسق)',
  },
  productChaptersHint: {
    fr: 'Cochez chaque chapitre dont relève au moins un produit du membre.',
    en: 'Tick each chapter at least one of the member’s products falls under.',
    ar: 'اختر كل فصل ينتمي إليه منتج واحد على الأقل من منتجات العضو.',
  },
  assessedOn: { fr: 'Date de la visite', en: 'Date of the visit', ar: 'تاريخ الزيارة' },
  assessedOnRule: {
    fr: 'Ni dans le futur, ni avant 2000.',
    en: 'Not in the future, not before 2000.',
    ar: 'لا في المستقبل ولا قبل سنة 2000.',
  },
  assessorName: { fr: 'Nom de l’évaluateur', en: 'Assessor’s name', ar: 'اسم المقيّم' },
  assessorOrganisation: {
    fr: 'Organisation de l’évaluateur',
    en: 'Assessor’s organisation',
    ar: 'مؤسسة المقيّم',
  },
  numberRule: {
    fr: 'Un nombre entre -10^15 et 10^15.',
    en: 'A number between -10^15 and 10^15.',
    ar: 'عدد بين -10^15 و 10^15.',
  },
  applies: { fr: 'S’applique', en: 'Applies', ar: 'ينطبق' },
  notApplicable: { fr: 'Sans objet', en: 'Not applicable', ar: 'لا ينطبق' },
  yes: { fr: 'Oui', en: 'Yes', ar: 'نعم' },
  no: { fr: 'Non', en: 'No', ar: 'لا' },
  appliesQuestion: { fr: 'S’applique ?', en: 'Does it apply?', ar: 'هل ينطبق؟' },
} satisfies Record<string, Text>;

const MEMBER_TYPE_LABELS: Record<(typeof MEMBER_TYPES)[number], Text> = {
  company: { fr: 'Entreprise', en: 'Company', ar: 'مقاولة' },
  cooperative: { fr: 'Coopérative', en: 'Cooperative', ar: 'تعاونية' },
  gie: {
    fr: 'Groupement d’intérêt économique (GIE)',
    en: 'Economic interest group (GIE)',
    ar: 'مجموعة ذات نفع اقتصادي',
  },
  association: { fr: 'Association', en: 'Association', ar: 'جمعية' },
};

/** The choice name of an HS chapter in the `hs_chapters` list. */
const chapterChoice = (chapter: string) => `hs_${chapter}`;

/** Every HS chapter some criterion applies to, sorted. */
function gridChapters(grid: GridDefinition): string[] {
  const all = grid.dimensions.flatMap((d) =>
    d.criteria.flatMap((c) => c.appliesTo?.hsChapters ?? []),
  );
  return [...new Set(all)].sort();
}

const ref = (name: string) => `\${${name}}`;
const anyOf = (terms: string[]) => (terms.length === 1 ? terms[0]! : `(${terms.join(' or ')})`);

/**
 * `appliesTo` as an XPath condition. A member has a chapter X when one of its products' HS
 * codes starts with X; the assessor ticks the most specific chapter listed, so X holds when any
 * ticked chapter starts with X ("0910" ticked implies "09").
 */
function appliesToRelevant(appliesTo: AppliesTo | undefined, chapters: string[]): string {
  const terms: string[] = [];
  if (appliesTo?.memberTypes !== undefined) {
    terms.push(anyOf(appliesTo.memberTypes.map((t) => `${ref(FIXED.memberType)} = '${t}'`)));
  }
  if (appliesTo?.hsChapters !== undefined) {
    const wanted = appliesTo.hsChapters;
    const ticked = chapters.filter((c) => wanted.some((w) => c.startsWith(w)));
    terms.push(
      anyOf(ticked.map((c) => `selected(${ref(FIXED.productChapters)}, '${chapterChoice(c)}')`)),
    );
  }
  return terms.join(' and ');
}

/** The choices of a select_one criterion, in order, N/A last where allowed. */
export function criterionChoices(criterion: Criterion): { name: string; label: Text }[] {
  const answer = criterion.answer;
  let choices: { name: string; label: Text }[];
  switch (answer.type) {
    case 'boolean':
      choices = [
        { name: 'yes', label: UI.yes },
        { name: 'no', label: UI.no },
      ];
      break;
    case 'scale':
      choices = Array.from({ length: answer.maxLevel + 1 }, (_, level) => {
        const label = `${level} / ${answer.maxLevel}`;
        return { name: String(level), label: { fr: label, en: label, ar: label } };
      });
      break;
    case 'choice':
      choices = answer.options.map((o) => ({
        name: o.code,
        label: o.label ? text(o.label) : { fr: o.code, en: o.code, ar: o.code },
      }));
      break;
    case 'number':
      return [];
  }
  if (criterion.notApplicableAllowed) {
    choices.push({
      name: notApplicableChoice(choices.map((c) => c.name)),
      label: UI.notApplicable,
    });
  }
  return choices;
}

function withUnit(title: Text, unit: string | undefined): Text {
  if (unit === undefined) return title;
  return { fr: `${title.fr} (${unit})`, en: `${title.en} (${unit})`, ar: `${title.ar} (${unit})` };
}

function criterionRows(names: CriterionNames, chapters: string[]): Row[] {
  const { criterion } = names;
  const relevant = appliesToRelevant(criterion.appliesTo, chapters);
  const required: Row = criterion.knockout === undefined ? {} : { required: 'yes' };
  const title = text(criterion.title);
  const hint: Row = criterion.help ? cells('hint', text(criterion.help)) : {};
  if (criterion.answer.type !== 'number') {
    return [
      {
        type: `select_one ${names.list}`,
        name: names.question,
        ...cells('label', title),
        ...hint,
        ...required,
        ...(relevant ? { relevant } : {}),
      },
    ];
  }
  const rows: Row[] = [];
  let decimalRelevant = relevant;
  if (names.notApplicable !== null) {
    rows.push({
      type: `select_one ${SHARED_LISTS.applicable}`,
      name: names.notApplicable,
      ...cells('label', {
        fr: `${title.fr} : ${UI.appliesQuestion.fr}`,
        en: `${title.en}: ${UI.appliesQuestion.en}`,
        ar: `${title.ar}: ${UI.appliesQuestion.ar}`,
      }),
      ...required,
      ...(relevant ? { relevant } : {}),
    });
    const applies = `${ref(names.notApplicable)} != 'na'`;
    decimalRelevant = relevant ? `${relevant} and ${applies}` : applies;
  }
  rows.push({
    type: 'decimal',
    name: names.question,
    ...cells('label', withUnit(title, criterion.answer.unit)),
    ...hint,
    ...required,
    ...(decimalRelevant ? { relevant: decimalRelevant } : {}),
    constraint: `. >= -${NUMBER_BOUND} and . <= ${NUMBER_BOUND}`,
    ...cells('constraint_message', UI.numberRule),
  });
  return rows;
}

function identityRows(chapters: string[]): Row[] {
  return [
    { type: 'begin_group', name: FIXED.identity, ...cells('label', UI.identity) },
    { type: 'text', name: FIXED.memberRef, ...cells('label', UI.memberRef), required: 'yes' },
    {
      type: `select_one ${SHARED_LISTS.memberType}`,
      name: FIXED.memberType,
      ...cells('label', UI.memberType),
      required: 'yes',
    },
    ...(chapters.length === 0
      ? []
      : [
          {
            type: `select_multiple ${SHARED_LISTS.productChapters}`,
            name: FIXED.productChapters,
            ...cells('label', UI.productChapters),
            ...cells('hint', UI.productChaptersHint),
          },
        ]),
    {
      type: 'date',
      name: FIXED.assessedOn,
      ...cells('label', UI.assessedOn),
      required: 'yes',
      default: 'today()',
      constraint: ". <= today() and . >= date('2000-01-01')",
      ...cells('constraint_message', UI.assessedOnRule),
    },
    { type: 'text', name: FIXED.assessorName, ...cells('label', UI.assessorName), required: 'yes' },
    { type: 'text', name: FIXED.assessorOrganisation, ...cells('label', UI.assessorOrganisation) },
    { type: 'end_group', name: '' },
  ];
}

function choiceRows(names: FormNames, chapters: string[]): Row[] {
  const rows: Row[] = [];
  const add = (list: string, name: string, label: Text) =>
    rows.push({ list_name: list, name, ...cells('label', label) });
  for (const type of MEMBER_TYPES) add(SHARED_LISTS.memberType, type, MEMBER_TYPE_LABELS[type]);
  for (const chapter of chapters) {
    add(SHARED_LISTS.productChapters, chapterChoice(chapter), {
      fr: `SH ${chapter}`,
      en: `HS ${chapter}`,
      ar: `النظام المنسق ${chapter}`,
    });
  }
  if (names.criteria.some((c) => c.notApplicable !== null)) {
    add(SHARED_LISTS.applicable, 'applies', UI.applies);
    add(SHARED_LISTS.applicable, 'na', UI.notApplicable);
  }
  const written = new Set<string>();
  for (const { criterion, list } of names.criteria) {
    // Boolean and scale lists are shared by every criterion of the same kind.
    if (list === null || written.has(list)) continue;
    written.add(list);
    for (const choice of criterionChoices(criterion)) add(list, choice.name, choice.label);
  }
  return rows;
}

/** `language`: the form's default language and the language of its title. */
export function gridXlsForm(
  grid: GridDefinition & { version: number },
  language: Language = 'fr',
): XlsForm {
  const names = formNames(grid);
  const chapters = gridChapters(grid);
  const survey = identityRows(chapters);
  for (const dimension of grid.dimensions) {
    survey.push({
      type: 'begin_group',
      name: names.groups.get(dimension.code) as string,
      ...cells('label', text(dimension.title)),
    });
    for (const c of names.criteria.filter((n) => n.dimensionCode === dimension.code)) {
      survey.push(...criterionRows(c, chapters));
    }
    survey.push({ type: 'end_group', name: '' });
  }
  return {
    survey,
    choices: choiceRows(names, chapters),
    settings: [
      {
        form_title: textIn(grid.title, language),
        form_id: `jahiz_${grid.code}`,
        version: String(grid.version),
        default_language: FORM_LANGUAGES.find((l) => l.key === language)!.name,
        instance_name: `concat(${ref(FIXED.memberRef)}, ' ', ${ref(FIXED.assessedOn)})`,
      },
    ],
  };
}
