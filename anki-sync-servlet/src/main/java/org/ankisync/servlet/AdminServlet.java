package org.ankisync.servlet;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import org.ankisync.admin.AdminHandler;
import org.ankisync.core.http.HttpResponseSink;
import org.ankisync.core.http.ReplyWriter;
import org.ankisync.core.http.SyncReply;

/**
 * The admin area in the WAR, mapped to {@code /admin/*}: copies each request into the
 * same HTTP-neutral {@link AdminHandler} the launcher serves, which {@link SyncServlet}
 * wires beside the sync server (same accounts, same activity log). Without an admin
 * password there is no handler, and every admin URL answers 404.
 */
public class AdminServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    /** The servlet-context attribute under which {@link SyncServlet} leaves the handler. */
    public static final String ATTRIBUTE = AdminHandler.class.getName();

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Object handler = getServletContext().getAttribute(ATTRIBUTE);
        if (!(handler instanceof AdminHandler admin)) {
            response.sendError(HttpServletResponse.SC_NOT_FOUND);
            return;
        }
        if (request.getPathInfo() == null) {
            // The pages link relatively: the base must end with a slash.
            response.setStatus(308);
            response.setHeader("Location", request.getRequestURI() + "/");
            return;
        }
        SyncReply reply = admin.handle(new ServletCall(request));
        ReplyWriter.write(reply, request.getMethod(), new HttpResponseSink() {
            @Override
            public void status(int status) {
                response.setStatus(status);
            }

            @Override
            public void header(String name, String value) {
                response.setHeader(name, value);
            }

            @Override
            public OutputStream body() throws IOException {
                return response.getOutputStream();
            }
        });
    }
}
