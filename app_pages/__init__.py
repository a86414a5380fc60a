"""The Streamlit pages app.py registers (one script each), and what they share: common (the
sidebar's choices, cached queries), data (the connection and the build check), show (tables,
charts, downloads, cited sources). Pages only wire widgets to analysis/ and userdata/.

May import: every layer below (etl, analysis, userdata, figures, exports)."""
