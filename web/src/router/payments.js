// Money pages: payment runs (build, review, four-eyes approval, files, bank results), reports.
export default []
