module.exports = require('@tautline/config/jest-preset')();
