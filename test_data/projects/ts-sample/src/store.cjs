'use strict';
const fs = require('node:fs');
const { join, resolve: resolvePath } = require('node:path');

/** A JSON file of key/value pairs. */
class Store {
  constructor(dir) {
    this.file = join(resolvePath(dir), 'store.json');
  }

  load() {
    const parse = function (text) {
      return JSON.parse(text);
    };
    return parse(fs.readFileSync(this.file, 'utf8'));
  }

  static open(dir) {
    return new Store(dir);
  }
}

module.exports = { Store };
