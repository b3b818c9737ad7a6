package org.berth.application;

import java.util.List;

/**
 * One page of an administration listing and the size of the whole listing.
 *
 * @param items the entries of the page
 * @param total how many entries all pages hold together
 */
public record Listing<T>(List<T> items, long total) {
}
