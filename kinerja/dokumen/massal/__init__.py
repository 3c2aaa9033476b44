"""Every SKP or evaluation document of a unit as one zip, built by a background job."""
