package dev.llamascope.engine.catalog;

import java.io.IOException;

/** A catalog that cannot be used (bad JSON, a missing or wrong field, an unknown model name), in one line. */
public class CatalogException extends IOException {
    public CatalogException(String message) {
        super(message);
    }
}
