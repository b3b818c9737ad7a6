package org.berth.api.oci;

import java.io.InputStream;
import java.util.Optional;
import java.util.OptionalLong;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

import org.berth.api.ExternalUrls;
import org.berth.application.UploadService;
import org.berth.domain.Digest;
import org.berth.domain.RegistryException;
import org.berth.domain.RepositoryName;
import org.berth.storage.UploadSession;

/**
 * end-4a/4b, end-5, end-6, end-11, end-13: blob uploads (OCI dist-spec "Pushing blobs").
 * Bodies are streamed straight to storage; nothing here buffers a blob.
 */
@ApplicationScoped
@Path(OciRoutes.UPLOADS)
public class UploadResource {

    @Inject
    UploadService uploads;

    @Inject
    ExternalUrls urls;

    @Inject
    Caller caller;

    /** The current request (a CDI proxy: this resource is one instance for all requests). */
    @Inject
    HttpServletRequest request;

    /** Starts an upload, uploads a whole blob ({@code ?digest=}), or mounts one ({@code ?mount=}). */
    @POST
    @Path(OciRoutes.NEW_UPLOAD)
    public Response start(@PathParam("name") String name, @QueryParam("digest") String digest,
                          @QueryParam("mount") String mount, @QueryParam("from") String from, InputStream body) {
        RepositoryName repository = RepositoryName.parse(name);
        if (mount != null) {
            Digest mounted = Digest.parse(mount);
            Optional<RepositoryName> source = from == null || from.isEmpty() ? Optional.empty() : Optional.of(RepositoryName.parse(from));
            if (uploads.mount(repository, mounted, source, caller::mayPull)) {
                return created(repository, mounted);
            }
            // Not mountable: fall back to an ordinary upload session (202), as the spec allows.
        } else if (digest != null) {
            Digest expected = Digest.parse(digest);
            uploads.uploadWhole(repository, expected, body, contentLength(), caller.owner());
            return created(repository, expected);
        }
        UploadSession session = uploads.start(repository, caller.owner());
        return inProgress(Response.accepted(), session).build();
    }

    /** Appends a chunk; with no Content-Range it is a streamed upload of any length. */
    @PATCH
    @Path(OciRoutes.UPLOAD)
    public Response append(@PathParam("name") String name, @PathParam("uploadId") String uploadId, InputStream body) {
        RepositoryName repository = RepositoryName.parse(name);
        Optional<ByteRange> range = contentRange(repository, uploadId);
        // a streamed PATCH with a Content-Length declares its size too: a quota refuses it unread
        OptionalLong length = range.map(r -> OptionalLong.of(r.length())).orElse(contentLength());
        UploadSession session = uploads.append(repository, uploadId, body, ByteRange.startOf(range), length);
        return inProgress(Response.accepted(), session).build();
    }

    /** Completes the upload, with an optional last chunk, verifying {@code ?digest=}. */
    @PUT
    @Path(OciRoutes.UPLOAD)
    public Response complete(@PathParam("name") String name, @PathParam("uploadId") String uploadId,
                             @QueryParam("digest") String digest, InputStream body) {
        RepositoryName repository = RepositoryName.parse(name);
        if (digest == null || digest.isEmpty()) {
            uploads.status(repository, uploadId); // an unknown upload is reported as such first
            throw new RegistryException.DigestInvalid("the digest query parameter is required to complete an upload", null);
        }
        Digest expected = Digest.parse(digest);
        Optional<ByteRange> range = contentRange(repository, uploadId);
        OptionalLong length = range.map(r -> OptionalLong.of(r.length())).orElse(contentLength());
        uploads.complete(repository, uploadId, expected, body, ByteRange.startOf(range), length);
        return created(repository, expected);
    }

    @GET
    @Path(OciRoutes.UPLOAD)
    public Response status(@PathParam("name") String name, @PathParam("uploadId") String uploadId) {
        UploadSession session = uploads.status(RepositoryName.parse(name), uploadId);
        return inProgress(Response.noContent(), session).build();
    }

    @DELETE
    @Path(OciRoutes.UPLOAD)
    public Response cancel(@PathParam("name") String name, @PathParam("uploadId") String uploadId) {
        uploads.cancel(RepositoryName.parse(name), uploadId);
        return Response.noContent().build();
    }

    private Response created(RepositoryName repository, Digest digest) {
        return Response.status(Response.Status.CREATED)
                .header(HttpHeaders.LOCATION, urls.absolute(OciRoutes.blobPath(repository.value(), digest.toString())))
                .header(OciHeaders.CONTENT_DIGEST, digest.toString())
                .header(HttpHeaders.CONTENT_LENGTH, 0)
                .build();
    }

    private Response.ResponseBuilder inProgress(Response.ResponseBuilder response, UploadSession session) {
        return response
                .header(HttpHeaders.LOCATION, urls.absolute(OciRoutes.uploadPath(session.repository().value(), session.id())))
                .header(OciHeaders.UPLOAD_UUID, session.id())
                .header(OciHeaders.RANGE, ByteRange.uploadedRange(session.size()))
                .header(HttpHeaders.CONTENT_LENGTH, 0);
    }

    private Optional<ByteRange> contentRange(RepositoryName repository, String uploadId) {
        try {
            return ByteRange.ofContentRange(request.getHeader(OciHeaders.CONTENT_RANGE));
        } catch (IllegalArgumentException e) {
            long size = uploads.status(repository, uploadId).size();
            throw new RegistryException.RangeInvalid(e.getMessage(), size);
        }
    }

    /** The declared body length, when the client sent Content-Length (not chunked). */
    private OptionalLong contentLength() {
        String value = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (value == null || value.isBlank()) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(Long.parseLong(value.trim()));
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }
}
