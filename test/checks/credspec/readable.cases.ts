import { cases } from '../_harness.js';

export default cases({
  success: [
    {
      name: 'every file parsed',
      facts: { 'credspec.readErrors': [] },
      expect: [{ severity: 'pass', message: 'Every credential spec file was read and parsed.' }],
    },
  ],
  failure: [
    {
      name: 'a JSON syntax error, with its position',
      facts: {
        'credspec.readErrors': [
          {
            file: 'webapp01.json',
            kind: 'syntax',
            reason: 'webapp01.json:8:17: ValueExpected',
            position: { line: 8, column: 17 },
          },
        ],
      },
      expect: [{ severity: 'error', subject: 'webapp01.json', message: 'webapp01.json:8:17: ValueExpected' }],
    },
    {
      name: 'an empty file',
      facts: { 'credspec.readErrors': [{ file: 'empty.json', kind: 'empty', reason: 'the file is empty' }] },
      expect: [{ severity: 'warning', message: 'the file is empty' }],
    },
  ],
});
