import { createContext, useContext } from 'react';

// The CSP nonce of this response, for Remix's inline scripts. Browsers hide the nonce
// attribute from the DOM, so on the client it is simply empty.
export const NonceContext = createContext('');
export const useNonce = () => useContext(NonceContext);
