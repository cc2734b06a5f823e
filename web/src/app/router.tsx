import { lazy } from "react";
import { createBrowserRouter } from "react-router";
import { ForgotPasswordPage } from "../features/account/ForgotPasswordPage";
import { LoginPage } from "../features/account/LoginPage";
import { RegisterPage } from "../features/account/RegisterPage";
import { ResetPasswordPage } from "../features/account/ResetPasswordPage";
import { VerifyPage } from "../features/account/VerifyPage";
import { AppLayout } from "./AppLayout";
import { RequireSession } from "./RequireSession";
import { NotFoundPage } from "./NotFoundPage";

// Pages behind the first screen load on demand, so the first page stays small.
const FilesPage = lazy(() => import("../features/files/FilesPage"));
const TrashPage = lazy(() => import("../features/files/TrashPage"));
const SharesPage = lazy(() => import("../features/shares/SharesPage"));
const SharePage = lazy(() => import("../features/share-page/SharePage"));
const AdminPage = lazy(() => import("../features/admin/AdminPage"));
const SettingsPage = lazy(() => import("../features/account/SettingsPage"));

export const router = createBrowserRouter([
  { path: "/login", element: <LoginPage /> },
  { path: "/register", element: <RegisterPage /> },
  { path: "/verify", element: <VerifyPage /> },
  { path: "/forgot", element: <ForgotPasswordPage /> },
  { path: "/reset", element: <ResetPasswordPage /> },
  { path: "/s/:token", element: <SharePage /> },
  {
    element: (
      <RequireSession>
        <AppLayout />
      </RequireSession>
    ),
    children: [
      { path: "/", element: <FilesPage /> },
      { path: "/f/:folderId", element: <FilesPage /> },
      { path: "/trash", element: <TrashPage /> },
      { path: "/shares", element: <SharesPage /> },
      { path: "/admin", element: <AdminPage /> },
      { path: "/settings", element: <SettingsPage /> },
    ],
  },
  { path: "*", element: <NotFoundPage /> },
]);
