import { ApiError } from './api.js';
import { attachmentName } from './billing-view.js';

/**
 * Downloads an api file with the bearer token (a plain link cannot send it): fetches it, then
 * saves the bytes as a Blob under the name the api gives in `content-disposition`.
 */
export async function downloadWithToken(path: string, token: string, fallbackName: string) {
  const response = await fetch(path, { headers: { authorization: `Bearer ${token}` } });
  if (!response.ok)
    throw new ApiError(response.status, `the api answered ${String(response.status)}`);
  const blob = await response.blob();
  const url = URL.createObjectURL(blob);
  try {
    const anchor = document.createElement('a');
    anchor.href = url;
    anchor.download = attachmentName(response.headers.get('content-disposition'), fallbackName);
    document.body.append(anchor);
    anchor.click();
    anchor.remove();
  } finally {
    // Revoked after the click has started the download.
    setTimeout(() => {
      URL.revokeObjectURL(url);
    }, 0);
  }
}
