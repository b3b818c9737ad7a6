package org.berth.api.oci;

import java.io.IOException;
import java.net.URI;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HEAD;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;

import org.berth.application.BlobService;
import org.berth.domain.Digest;
import org.berth.domain.RepositoryName;
import org.berth.infrastructure.config.BerthConfig;
import org.berth.infrastructure.web.ClientHangUp;
import org.berth.infrastructure.web.GrizzlySendfile;
import org.berth.storage.BlobContent;

/** end-2, end-10: blobs by digest, with single byte ranges. */
@ApplicationScoped
@Path(OciRoutes.BLOB)
public class BlobResource {

    private static final Logger LOG = Logger.getLogger(BlobResource.class.getName());

    @Inject
    BlobService blobs;

    @Inject
    BerthConfig config;

    @GET
    public Response get(@PathParam("name") String name, @PathParam("digest") String digest,
                        @HeaderParam("Range") String range,
                        @Context HttpServletRequest request, @Context HttpServletResponse servletResponse) {
        BlobContent blob = blobs.open(RepositoryName.parse(name), Digest.parse(digest));
        Optional<URI> elsewhere = blob.redirect();
        if (elsewhere.isPresent()) {
            // Distribution's "redirect": the client fetches the bytes, its Range too, from the object store
            return redirect(Response.status(Response.Status.TEMPORARY_REDIRECT), blob, elsewhere.get()).build();
        }
        Optional<ByteRange> wanted;
        try {
            wanted = ByteRange.ofRequest(range, blob.size());
        } catch (IllegalArgumentException e) {
            return Response.status(416).header("Content-Range", "bytes */" + blob.size())
                    .header(OciHeaders.CONTENT_DIGEST, blob.digest().toString()).build();
        }
        long start = wanted.map(ByteRange::start).orElse(0L);
        long length = wanted.map(ByteRange::length).orElse(blob.size());
        StreamingOutput body = out -> {
            try {
                blob.writeTo(out, start, length, GrizzlySendfile.of(request, servletResponse, config.sendTimeout()));
            } catch (IOException e) {
                if (!ClientHangUp.noted(request)) {
                    throw e; // reading the blob failed: a server error
                }
                // Nothing to answer: the client is gone. Counted by HttpMetricsFilter.
                LOG.log(Level.FINE, () -> "GET of " + digest + " in " + name + " ended early: " + e.getMessage());
            }
        };
        Response.ResponseBuilder response = wanted.isPresent()
                ? Response.status(206).header("Content-Range", "bytes " + start + "-" + (start + length - 1) + "/" + blob.size())
                : Response.ok();
        return describe(response.entity(body), blob).header(HttpHeaders.CONTENT_LENGTH, length).build();
    }

    @HEAD
    public Response head(@PathParam("name") String name, @PathParam("digest") String digest) {
        BlobContent blob = blobs.head(RepositoryName.parse(name), Digest.parse(digest));
        return describe(Response.ok(), blob).header(HttpHeaders.CONTENT_LENGTH, blob.size()).build();
    }

    @DELETE
    public Response delete(@PathParam("name") String name, @PathParam("digest") String digest) {
        blobs.delete(RepositoryName.parse(name), Digest.parse(digest));
        return Response.accepted().header(HttpHeaders.CONTENT_LENGTH, 0).build();
    }

    /** A 307 to where the blob's bytes are served, e.g. a presigned URL of the S3 bucket ({@code BERTH_S3_REDIRECT}). */
    static Response.ResponseBuilder redirect(Response.ResponseBuilder response, BlobContent blob, URI location) {
        return response.header(HttpHeaders.LOCATION, location.toString())
                .header(OciHeaders.CONTENT_DIGEST, blob.digest().toString())
                .header(HttpHeaders.CONTENT_LENGTH, 0);
    }

    private static Response.ResponseBuilder describe(Response.ResponseBuilder response, BlobContent blob) {
        return response.type(MediaType.APPLICATION_OCTET_STREAM_TYPE)
                .header(OciHeaders.CONTENT_DIGEST, blob.digest().toString())
                .header(HttpHeaders.ETAG, "\"" + blob.digest() + "\"")
                .header("Accept-Ranges", "bytes")
                .header(HttpHeaders.CACHE_CONTROL, "max-age=31536000");
    }
}
