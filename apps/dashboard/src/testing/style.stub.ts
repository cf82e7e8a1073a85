// Stylesheets mean nothing to jsdom; imports of *.css resolve here in tests.
export default {};
