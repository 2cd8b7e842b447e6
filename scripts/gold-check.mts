import { readDisclosure, toExtractJson } from '../src/extract.js';
import { compareWithGold, describeComparison, loadGold } from '../src/gold.js';
const [goldFile, ...files] = process.argv.slice(2);
const j = toExtractJson(await readDisclosure(files));
console.log(describeComparison(compareWithGold(loadGold(goldFile!), j)));
